namespace Sidecar.PubSub.Subscriptions;

/// <summary>
/// daprd keeps one subscription per pub/sub and topic: the first declarative one in load order, replaced in its place
/// by a programmatic one for the same pub/sub and topic (the last programmatic one wins). Subscribing both would put
/// two handlers in one consumer group and split the events between them.
/// </summary>
// dapr/dapr pkg/runtime/compstore/subscriptions.go ListTypedSubscriptions, ListSubscriptionsAppByPubSub
internal static class SubscriptionMerge
{
    public static IReadOnlyList<Subscription> OnePerTopic(IEnumerable<Subscription> declarative, IEnumerable<Subscription> programmatic)
    {
        var merged = new List<Subscription>();
        var taken = new Dictionary<(string PubSub, string Topic), int>();
        foreach (var subscription in declarative)
        {
            taken.TryAdd((subscription.PubSubName, subscription.Topic), merged.Count);
            if (taken[(subscription.PubSubName, subscription.Topic)] == merged.Count)
            {
                merged.Add(subscription);
            }
        }

        foreach (var subscription in programmatic)
        {
            if (taken.TryGetValue((subscription.PubSubName, subscription.Topic), out var index))
            {
                merged[index] = subscription;
            }
            else
            {
                taken[(subscription.PubSubName, subscription.Topic)] = merged.Count;
                merged.Add(subscription);
            }
        }

        return merged;
    }
}

namespace Sidecar.PubSub.Subscriptions;

/// <summary>The app's active subscriptions, for metadata (<c>/v1.0/metadata</c>, gRPC GetMetadata).</summary>
public interface ISubscriptionRegistry
{
    IReadOnlyList<Subscription> Subscriptions { get; }

    /// <summary>Completes once declarative and programmatic subscriptions are loaded and subscribed.</summary>
    Task Loaded { get; }
}

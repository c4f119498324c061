using Sidecar.Metadata;

namespace Sidecar.PubSub.Subscriptions;

/// <summary>Reports the app's active subscriptions in <c>/v1.0/metadata</c> and gRPC GetMetadata.</summary>
internal sealed class SubscriptionMetadataContributor(ISubscriptionRegistry registry) : IMetadataContributor
{
    public IReadOnlyList<SubscriptionMetadata> Subscriptions =>
        [.. registry.Subscriptions.Select(s => new SubscriptionMetadata(
            s.PubSubName,
            s.Topic,
            s.Metadata,
            [.. s.Rules.Select(r => new SubscriptionRuleMetadata(r.Match?.Text ?? "", r.Path)),
                .. s.DefaultPath is { } d ? [new SubscriptionRuleMetadata("", d)] : Array.Empty<SubscriptionRuleMetadata>()],
            s.DeadLetterTopic ?? "",
            s.Kind == SubscriptionKind.Declarative ? "DECLARATIVE" : "PROGRAMMATIC"))];
}

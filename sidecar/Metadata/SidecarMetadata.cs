namespace Sidecar.Metadata;

/// <summary>What <c>GET /v1.0/metadata</c> and gRPC <c>GetMetadata</c> report, independent of either wire shape.</summary>
public sealed record SidecarMetadata(
    string Id,
    string RuntimeVersion,
    IReadOnlyList<ComponentMetadata> Components,
    IReadOnlyList<SubscriptionMetadata> Subscriptions,
    IReadOnlyDictionary<string, string> Extended,
    AppConnectionMetadata? AppConnection);

/// <summary>A loaded component: name, type, version and capabilities (e.g. ETAG, TRANSACTIONAL, TTL, ACTOR).</summary>
public sealed record ComponentMetadata(string Name, string Type, string Version, IReadOnlyList<string> Capabilities);

/// <summary>An active subscription. <paramref name="Type"/> is DECLARATIVE, PROGRAMMATIC or STREAMING.</summary>
public sealed record SubscriptionMetadata(
    string PubsubName,
    string Topic,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<SubscriptionRuleMetadata> Rules,
    string DeadLetterTopic,
    string Type);

/// <summary>A routing rule: CEL <paramref name="Match"/> (empty for the default route) and the app path.</summary>
public sealed record SubscriptionRuleMetadata(string Match, string Path);

/// <summary>How the sidecar reaches the app.</summary>
public sealed record AppConnectionMetadata(int Port, string Protocol, string ChannelAddress);

/// <summary>
/// Adds to the metadata what another building block knows (pub/sub registers one for its subscriptions). Register with
/// <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IMetadataContributor, ...&gt;())</c>.
/// </summary>
public interface IMetadataContributor
{
    /// <summary>The subscriptions this app currently has.</summary>
    IReadOnlyList<SubscriptionMetadata> Subscriptions { get; }
}

namespace Sidecar.Metadata;

/// <summary>What <c>GET /v1.0/metadata</c> and gRPC <c>GetMetadata</c> report, independent of either wire shape.</summary>
public sealed record SidecarMetadata(
    string Id,
    string RuntimeVersion,
    IReadOnlyList<ComponentMetadata> Components,
    IReadOnlyList<SubscriptionMetadata> Subscriptions,
    IReadOnlyDictionary<string, string> Extended,
    AppConnectionMetadata AppConnection)
{
    /// <summary>The Configuration's enabled preview features (none: daprd omits the field then).</summary>
    public IReadOnlyList<string> EnabledFeatures { get; init; } = [];

    /// <summary>Names of the <c>HTTPEndpoint</c> resources that apply to this app.</summary>
    public IReadOnlyList<string> HttpEndpoints { get; init; } = [];

    /// <summary>The actor runtime's state; this sidecar hosts no actors.</summary>
    public ActorRuntimeMetadata ActorRuntime { get; init; } = ActorRuntimeMetadata.Disabled;

    /// <summary>Workflow workers (<c>GetWorkItems</c> streams) connected now.</summary>
    public int ConnectedWorkflowWorkers { get; init; }
}

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

/// <summary>
/// How the sidecar reaches the app, as daprd always reports it (port 0 when the app serves nothing):
/// <paramref name="MaxConcurrency"/> 0 is unlimited; <paramref name="Health"/> only with app health checks on.
/// </summary>
public sealed record AppConnectionMetadata(int Port, string Protocol, string ChannelAddress, int MaxConcurrency, AppHealthMetadata? Health);

/// <summary>
/// The app health check's settings, durations as Go prints them (<c>5s</c>, <c>500ms</c>); the path only for HTTP apps.
/// </summary>
public sealed record AppHealthMetadata(string? HealthCheckPath, string ProbeInterval, string ProbeTimeout, int Threshold);

/// <summary>The actor runtime as daprd reports it: status <c>INITIALIZING</c>, <c>DISABLED</c> or <c>RUNNING</c>.</summary>
public sealed record ActorRuntimeMetadata(string Status, bool HostReady, string Placement)
{
    /// <summary>What daprd reports with no placement service: actors disabled (dapr/dapr <c>pkg/actors/actors.go</c> RuntimeStatus).</summary>
    public static readonly ActorRuntimeMetadata Disabled = new("DISABLED", false, "placement: disconnected");
}

/// <summary>
/// Adds to the metadata what another building block knows (pub/sub registers one for its subscriptions). Register with
/// <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IMetadataContributor, ...&gt;())</c>.
/// </summary>
public interface IMetadataContributor
{
    /// <summary>The subscriptions this app currently has.</summary>
    IReadOnlyList<SubscriptionMetadata> Subscriptions { get; }
}

/// <summary>How many workflow workers are connected now (the workflow engine provides it).</summary>
public interface IWorkflowWorkerCount
{
    int ConnectedWorkers { get; }
}

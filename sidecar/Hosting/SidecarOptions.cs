namespace Sidecar.Hosting;

/// <summary>Everything one sidecar needs to start: the daprd flags of one app.</summary>
public sealed record SidecarOptions
{
    /// <summary><c>--app-id</c>.</summary>
    public required string AppId { get; init; }

    /// <summary><c>--app-port</c>; null when the app serves nothing (publish-only clients).</summary>
    public int? AppPort { get; init; }

    /// <summary><c>--app-protocol</c> as given: one of <see cref="AppProtocols.Names"/>.</summary>
    public string AppProtocol { get; init; } = "http";

    /// <summary><see cref="AppProtocol"/> parsed; throws naming the choices when it is none of them.</summary>
    public AppProtocolKind AppProtocolKind => AppProtocols.Parse(AppProtocol);

    /// <summary>Host the app listens on.</summary>
    public string AppHost { get; init; } = "127.0.0.1";

    /// <summary><c>--dapr-http-port</c>.</summary>
    public int HttpPort { get; init; } = 3500;

    /// <summary><c>--dapr-grpc-port</c>.</summary>
    public int GrpcPort { get; init; } = 50001;

    /// <summary>Address the sidecar binds to: loopback unless told otherwise.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary><c>--resources-path</c> (repeatable): folders of component, subscription and resiliency YAML.</summary>
    public IReadOnlyList<string> ResourcesPaths { get; init; } = [];

    /// <summary><c>--config</c>: a Dapr <c>Configuration</c> file, or null.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Serve every state store with the built-in SQLite store and every pub/sub with the built-in broker.</summary>
    public bool Embedded { get; init; }

    /// <summary>Folder for embedded data (SQLite files); <c>.dapr/</c> beside the run file by default.</summary>
    public string DataDirectory { get; init; } = ".dapr";

    /// <summary>
    /// The folder daprd would run in, against which relative component paths (e.g. <c>secretsFile</c>) are resolved:
    /// the app's <c>appDirPath</c> under a run file; null means the process's current directory.
    /// </summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// The SQLite registry through which sidecars of different processes find each other, unless the Configuration's
    /// <c>spec.nameResolution</c> names one; null finds only the sidecars of this process. The CLI sets it to
    /// <c>~/.dapr/nr.db</c> (or <c>DAPR_LOCAL_NAME_REGISTRY</c>).
    /// </summary>
    public string? NameRegistryFile { get; init; }

    /// <summary><c>DAPR_API_TOKEN</c>: when set, every API but health answers 401 without it.</summary>
    public string? ApiToken { get; init; }

    /// <summary><c>APP_API_TOKEN</c>: sent to the app in header <c>dapr-api-token</c>.</summary>
    public string? AppApiToken { get; init; }

    /// <summary>The metrics port and the OTLP endpoint telemetry is pushed to (<c>--metrics-port</c>, the runner's dashboard).</summary>
    public Observability.ObservabilityOptions Observability { get; init; } = new();

    /// <summary>App health checks (<c>--enable-app-health-check</c> and friends).</summary>
    public AppHealthOptions AppHealth { get; init; } = new();

    /// <summary>
    /// <c>--app-max-concurrency</c>: at most this many calls into the app at a time (invocations and pub/sub deliveries
    /// wait for a free slot, as daprd's app channel does); null is unlimited.
    /// </summary>
    public int? AppMaxConcurrency { get; init; }

    /// <summary><c>--max-body-size</c>: the largest request body the HTTP and gRPC APIs take, in bytes.</summary>
    public long MaxBodySize { get; init; } = DefaultMaxBodySize;

    /// <summary>daprd's default <c>--max-body-size</c>, 4Mi.</summary>
    public const long DefaultMaxBodySize = 4 << 20;
}

/// <summary>How the sidecar probes the app's health.</summary>
public sealed record AppHealthOptions
{
    public bool Enabled { get; init; }
    public string Path { get; init; } = "/healthz";
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(500);
    public int Threshold { get; init; } = 3;
}

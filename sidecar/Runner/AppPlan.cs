using System.Globalization;
using Sidecar.Hosting;

namespace Sidecar.Runner;

/// <summary>One app of a run, fully resolved: absolute paths, chosen ports, merged environment.</summary>
internal sealed record AppPlan
{
    public required string AppId { get; init; }

    /// <summary>Where the app is declared (<c>dapr.yaml:12</c>), for error messages.</summary>
    public required string Source { get; init; }

    public required string AppDirPath { get; init; }

    /// <summary>The app's command; empty when only the sidecar runs (the app is started some other way).</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    public int? AppPort { get; init; }
    public required int HttpPort { get; init; }
    public required int GrpcPort { get; init; }

    /// <summary>The sidecar's listen address (the run file has none; a single sidecar may be given one).</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";
    public string AppProtocol { get; init; } = "http";

    /// <summary>The run file's <c>env</c> for this app (common merged with the app's, app wins).</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> ResourcesPaths { get; init; } = [];
    public string? ConfigFile { get; init; }
    public AppHealthOptions AppHealth { get; init; } = new();

    /// <summary><c>appMaxConcurrency</c>; null is unlimited.</summary>
    public int? AppMaxConcurrency { get; init; }

    /// <summary><c>maxBodySize</c> (or <c>daprHTTPMaxRequestSize</c>) in bytes.</summary>
    public long MaxBodySize { get; init; } = SidecarOptions.DefaultMaxBodySize;

    public string LogLevel { get; init; } = "info";
    public string AppLogDestination { get; init; } = "console";
    public string DaprdLogDestination { get; init; } = "console";
    public string? ApiToken { get; init; }

    /// <summary>The sidecar's metrics port, and the OTLP endpoint the app and its sidecar send telemetry to (if any).</summary>
    public Observability.ObservabilityOptions Observability { get; init; } = new();

    public string? AppApiToken { get; init; }

    /// <summary>The flags of this app's sidecar.</summary>
    public SidecarOptions ToSidecarOptions(bool embedded, string dataDirectory, string? nameRegistryFile = null) => new()
    {
        AppId = AppId,
        AppPort = AppPort,
        AppProtocol = AppProtocol,
        HttpPort = HttpPort,
        GrpcPort = GrpcPort,
        ListenAddress = ListenAddress,
        ResourcesPaths = ResourcesPaths,
        ConfigFile = ConfigFile,
        Embedded = embedded,
        DataDirectory = dataDirectory,
        WorkingDirectory = AppDirPath,
        NameRegistryFile = nameRegistryFile,
        ApiToken = ApiToken,
        AppApiToken = AppApiToken,
        AppHealth = AppHealth,
        AppMaxConcurrency = AppMaxConcurrency,
        MaxBodySize = MaxBodySize,
        Observability = Observability,
    };

    /// <summary>
    /// What the app process gets on top of the runner's environment: what the Dapr CLI sets, the tokens, then the
    /// run file's <c>env</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["APP_ID"] = AppId,
            ["APP_PORT"] = AppPort?.ToString(CultureInfo.InvariantCulture),
            ["APP_PROTOCOL"] = AppProtocol,
            ["DAPR_HTTP_PORT"] = HttpPort.ToString(CultureInfo.InvariantCulture),
            ["DAPR_GRPC_PORT"] = GrpcPort.ToString(CultureInfo.InvariantCulture),
            // Endpoints inherited from the runner's shell would point the SDK at some other sidecar.
            ["DAPR_HTTP_ENDPOINT"] = null,
            ["DAPR_GRPC_ENDPOINT"] = null,
            ["DAPR_API_TOKEN"] = ApiToken,
            ["APP_API_TOKEN"] = AppApiToken,
        };
        if (Observability.OtlpEndpoint is { } otlp)
        {
            // What Aspire hands its apps: the OTLP endpoint, its protocol, and the name the app's telemetry goes under.
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.ToString().TrimEnd('/');
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = Observability.OtlpProtocol;
            environment["OTEL_SERVICE_NAME"] = AppId;
        }

        foreach (var (name, value) in Env)
        {
            environment[name] = value;
        }

        return environment;
    }
}

using Sidecar.Hosting;
using Sidecar.NameResolution;
using Sidecar.Observability;

namespace Sidecar.Cli;

/// <summary>The daprd-shaped flags of one sidecar, read into <see cref="SidecarOptions"/>.</summary>
internal static class SingleSidecarArguments
{
    private static readonly string[] Protocols = ["http", "https", "grpc", "grpcs", "h2c"];
    private static readonly string[] LogLevels = ["debug", "info", "warn", "error", "fatal"];

    /// <summary>Parses <paramref name="args"/>; relative paths are taken against <paramref name="workingDirectory"/>.</summary>
    public static (SidecarOptions Options, string LogLevel) Parse(
        IReadOnlyList<string> args, string workingDirectory, Func<string, string?> environment)
    {
        string? appId = null;
        var options = new SidecarOptions { AppId = "" };
        var health = new AppHealthOptions();
        var resources = new List<string>();
        var dataDirectory = ".dapr";
        var logLevel = "info";
        int? metricsPort = null;
        var metricsEnabled = true;
        long? maxBodySize = null;
        long? maxRequestSizeMb = null;
        var reader = new ArgumentReader(args);
        while (reader.Next())
        {
            switch (reader.Flag)
            {
                case "--app-id": appId = reader.Value(); break;
                case "--app-port": options = options with { AppPort = reader.Port() }; break;
                case "--app-protocol": options = options with { AppProtocol = OneOf(reader, Protocols) }; break;
                case "--dapr-http-port": options = options with { HttpPort = reader.Port() }; break;
                case "--dapr-grpc-port": options = options with { GrpcPort = reader.Port() }; break;
                case "--dapr-listen-addresses": options = options with { ListenAddress = ListenAddress(reader) }; break;
                case "--resources-path" or "--components-path": resources.Add(Folder(reader, workingDirectory)); break;
                case "--config": options = options with { ConfigFile = ExistingFile(reader, workingDirectory) }; break;
                case "--enable-app-health-check": health = health with { Enabled = reader.Bool() }; break;
                case "--app-health-check-path": health = health with { Path = reader.Value() }; break;
                case "--app-health-probe-interval": health = health with { Interval = TimeSpan.FromSeconds(reader.Int(1)) }; break;
                case "--app-health-probe-timeout": health = health with { Timeout = TimeSpan.FromMilliseconds(reader.Int(1)) }; break;
                case "--app-health-threshold": health = health with { Threshold = reader.Int(1) }; break;
                case "--log-level": logLevel = OneOf(reader, LogLevels); break;
                case "--embedded": options = options with { Embedded = reader.Bool() }; break;
                case "--data-dir": dataDirectory = reader.Value(); break;
                case "--metrics-port": metricsPort = reader.Port(); break;
                case "--enable-metrics": metricsEnabled = reader.Bool(); break;
                case "--app-max-concurrency": options = options with { AppMaxConcurrency = reader.Int(int.MinValue) is > 0 and var limit ? limit : null }; break;
                case "--max-body-size": maxBodySize = Quantity(reader); break;
                case "--dapr-http-max-request-size": maxRequestSizeMb = reader.Int(int.MinValue); break;
                default: throw reader.Unknown();
            }
        }

        if (string.IsNullOrWhiteSpace(appId))
        {
            throw new UsageException("--app-id is required (or use: run -f dapr.yaml)");
        }

        if (options.HttpPort == options.GrpcPort)
        {
            throw new UsageException($"--dapr-http-port and --dapr-grpc-port are both {options.HttpPort}");
        }

        options = options with
        {
            AppId = appId,
            AppHealth = health,
            // As daprd: --max-body-size wins over the deprecated --dapr-http-max-request-size (whole MB).
            MaxBodySize = maxBodySize ?? (maxRequestSizeMb is { } mb ? mb << 20 : SidecarOptions.DefaultMaxBodySize),
            ResourcesPaths = resources,
            DataDirectory = Path.GetFullPath(dataDirectory, workingDirectory),
            NameRegistryFile = NameRegistry(environment, workingDirectory),
            ApiToken = NonEmpty(environment("DAPR_API_TOKEN")),
            AppApiToken = NonEmpty(environment("APP_API_TOKEN")),
            Observability = new ObservabilityOptions
            {
                // daprd serves metrics by default on 9090.
                MetricsPort = metricsEnabled ? metricsPort ?? ObservabilityOptions.DefaultMetricsPort : null,
                MetricsPortIsDefault = metricsPort is null,
            },
        };
        return (options, logLevel);
    }

    private static string OneOf(ArgumentReader reader, string[] allowed)
    {
        var value = reader.Value();
        return allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
            ?? throw new UsageException($"{reader.Flag}: '{value}' is not one of {string.Join(", ", allowed)}");
    }

    private static long Quantity(ArgumentReader reader)
    {
        var value = reader.Value();
        return ByteQuantity.TryParse(value, out var bytes)
            ? bytes
            : throw new UsageException($"{reader.Flag}: '{value}' is not a size such as 4Mi, 512Ki or 1000000");
    }

    private static string ListenAddress(ArgumentReader reader)
    {
        var value = reader.Value();
        var addresses = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (addresses.Length != 1)
        {
            throw new UsageException($"{reader.Flag}: give exactly one address, got '{value}'");
        }

        var address = addresses[0] == "localhost" ? "127.0.0.1" : addresses[0];
        return System.Net.IPAddress.TryParse(address, out _)
            ? address
            : throw new UsageException($"{reader.Flag}: '{value}' is not an IP address");
    }

    private static string Folder(ArgumentReader reader, string workingDirectory)
    {
        var path = Path.GetFullPath(reader.Value(), workingDirectory);
        return Directory.Exists(path) ? path : throw new UsageException($"{reader.Flag}: folder {path} does not exist");
    }

    private static string ExistingFile(ArgumentReader reader, string workingDirectory)
    {
        var path = Path.GetFullPath(reader.Value(), workingDirectory);
        return File.Exists(path) ? path : throw new UsageException($"{reader.Flag}: file {path} does not exist");
    }

    /// <summary>The registry other sidecars of this user find this one in: <c>DAPR_LOCAL_NAME_REGISTRY</c>, else <c>~/.dapr/nr.db</c>.</summary>
    public static string NameRegistry(Func<string, string?> environment, string workingDirectory) =>
        Path.GetFullPath(NonEmpty(environment(NameResolutionSettings.DatabaseFileVariable)) ?? NameResolutionSettings.DefaultDatabaseFile, workingDirectory);

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

using Sidecar.Hosting;

namespace Sidecar.Runner;

/// <summary>
/// A run file resolved into what will start: precedence applied (an app's value, else <c>common</c>; <c>env</c>
/// merged), paths made absolute, missing Dapr ports chosen, and everything checked that can be checked before
/// anything starts.
/// </summary>
internal sealed record RunPlan(string RunFilePath, string DataDirectory, bool Embedded, IReadOnlyList<AppPlan> Apps)
{
    /// <summary>Where the plan comes from, as the runner's first line names it.</summary>
    public string Origin { get; init; } = $"run file {RunFilePath}";

    /// <summary>Things worth telling the user before starting (ports chosen, keys ignored).</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>
    /// Resolves <paramref name="file"/>. <paramref name="environment"/> supplies <c>DAPR_API_TOKEN</c> and
    /// <c>APP_API_TOKEN</c>; <paramref name="freePort"/> picks a port not in the given set of taken ones.
    /// </summary>
    public static RunPlan Create(
        RunFile file, bool embedded, string? dataDirectory, Func<string, string?> environment,
        Func<ISet<int>, int> freePort)
    {
        var notices = new List<string>(file.Warnings);
        var taken = new HashSet<int>();
        var apps = new List<AppPlan>();
        foreach (var section in file.Apps)
        {
            var app = Resolve(file, section, environment);
            apps.Add(app);
            foreach (var port in new[] { app.AppPort, section.DaprHttpPort, section.DaprGrpcPort, section.MetricsPort }.OfType<int>())
            {
                if (!taken.Add(port))
                {
                    throw new RunFileException($"{app.Source}: app '{app.AppId}': port {port} is used twice in the run file");
                }
            }
        }

        var duplicate = apps.GroupBy(a => a.AppId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new RunFileException($"{duplicate.Last().Source}: app id '{duplicate.Key}' is used by more than one app");
        }

        // Like the Dapr CLI: a Dapr port left out is picked free (after the fixed ones are known, so none collide).
        for (var i = 0; i < apps.Count; i++)
        {
            var app = apps[i];
            if (app.HttpPort == 0)
            {
                app = app with { HttpPort = Take(freePort, taken) };
                notices.Add($"app '{app.AppId}': no daprHTTPPort given, using {app.HttpPort}");
            }

            if (app.GrpcPort == 0)
            {
                app = app with { GrpcPort = Take(freePort, taken) };
                notices.Add($"app '{app.AppId}': no daprGRPCPort given, using {app.GrpcPort}");
            }

            // As the Dapr CLI: each sidecar of a run serves metrics, on the run file's metricsPort or a free port.
            var metricsPort = file.Apps[i].MetricsPort ?? Take(freePort, taken);
            app = app with { Observability = app.Observability with { MetricsPort = metricsPort } };

            apps[i] = app;
        }

        var data = Path.GetFullPath(dataDirectory ?? Path.Combine(file.Directory, ".dapr"), file.Directory);
        return new RunPlan(file.Path, data, embedded, apps) { Notices = notices };
    }

    private static int Take(Func<ISet<int>, int> freePort, HashSet<int> taken)
    {
        var port = freePort(taken);
        taken.Add(port);
        return port;
    }

    private static AppPlan Resolve(RunFile file, RunFileSection app, Func<string, string?> environment)
    {
        var common = file.Common;
        var source = $"{file.Path}:{app.Line}";
        var appDir = Path.GetFullPath(app.AppDirPath!, file.Directory);
        var appId = app.AppId ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(appDir));
        RunFileException Fail(string message) => new($"{source}: app '{appId}': {message}");

        if (!Directory.Exists(appDir))
        {
            throw Fail($"appDirPath {appDir} does not exist");
        }

        if (app.Command is { Count: 0 })
        {
            throw Fail("command is an empty list");
        }

        var env = new Dictionary<string, string>(common.Env ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (name, value) in app.Env ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }

        var resources = ResourcesPaths(file, app, appDir);
        foreach (var missing in resources.Where(p => !Directory.Exists(p)))
        {
            throw Fail($"resources path {missing} does not exist");
        }

        var config = ConfigFile(file, app, appDir);
        if (config is not null && !File.Exists(config))
        {
            throw Fail($"config file {config} does not exist");
        }

        var health = new AppHealthOptions();
        return new AppPlan
        {
            AppId = appId,
            Source = source,
            AppDirPath = appDir,
            Command = app.Command ?? [],
            AppPort = app.AppPort,
            HttpPort = app.DaprHttpPort ?? 0,
            GrpcPort = app.DaprGrpcPort ?? 0,
            AppProtocol = app.AppProtocol ?? common.AppProtocol ?? "http",
            Env = env,
            ResourcesPaths = resources,
            ConfigFile = config,
            AppHealth = new AppHealthOptions
            {
                Enabled = app.EnableAppHealthCheck ?? common.EnableAppHealthCheck ?? false,
                Path = app.AppHealthCheckPath ?? common.AppHealthCheckPath ?? health.Path,
                Interval = (app.AppHealthProbeInterval ?? common.AppHealthProbeInterval) is { } seconds
                    ? TimeSpan.FromSeconds(seconds) : health.Interval,
                Timeout = (app.AppHealthProbeTimeout ?? common.AppHealthProbeTimeout) is { } ms
                    ? TimeSpan.FromMilliseconds(ms) : health.Timeout,
                Threshold = app.AppHealthThreshold ?? common.AppHealthThreshold ?? health.Threshold,
            },
            AppMaxConcurrency = (app.AppMaxConcurrency ?? common.AppMaxConcurrency) is > 0 and var limit ? limit : null,
            MaxBodySize = (app.MaxBodySize ?? common.MaxBodySize)
                ?? ((app.DaprHttpMaxRequestSize ?? common.DaprHttpMaxRequestSize) is { } mb ? (long)mb << 20 : SidecarOptions.DefaultMaxBodySize),
            LogLevel = app.LogLevel ?? common.LogLevel ?? "info",
            AppLogDestination = app.AppLogDestination ?? common.AppLogDestination ?? "console",
            DaprdLogDestination = app.DaprdLogDestination ?? common.DaprdLogDestination ?? "console",
            ApiToken = NonEmpty(env.GetValueOrDefault("DAPR_API_TOKEN") ?? environment("DAPR_API_TOKEN")),
            AppApiToken = NonEmpty(env.GetValueOrDefault("APP_API_TOKEN") ?? environment("APP_API_TOKEN")),
        };
    }

    /// <summary>The app's own <c>resourcesPaths</c>, else <c>appDirPath/.dapr/resources</c> if present, else <c>common</c>'s.</summary>
    private static List<string> ResourcesPaths(RunFile file, RunFileSection app, string appDir)
    {
        if (app.ResourcesPaths is { Count: > 0 } own)
        {
            return [.. own.Select(p => Path.GetFullPath(p, appDir))];
        }

        var conventional = Path.Combine(appDir, ".dapr", "resources");
        if (Directory.Exists(conventional))
        {
            return [conventional];
        }

        return [.. (file.Common.ResourcesPaths ?? []).Select(p => Path.GetFullPath(p, file.Directory))];
    }

    /// <summary>The app's own <c>configFilePath</c>, else <c>appDirPath/.dapr/config.yaml</c> if present, else <c>common</c>'s.</summary>
    private static string? ConfigFile(RunFile file, RunFileSection app, string appDir)
    {
        if (app.ConfigFilePath is { } own)
        {
            return Path.GetFullPath(own, appDir);
        }

        var conventional = Path.Combine(appDir, ".dapr", "config.yaml");
        if (File.Exists(conventional))
        {
            return conventional;
        }

        return file.Common.ConfigFilePath is { } common ? Path.GetFullPath(common, file.Directory) : null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

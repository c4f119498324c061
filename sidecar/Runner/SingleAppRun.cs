using Sidecar.Hosting;

namespace Sidecar.Runner;

/// <summary>
/// One sidecar started with its app's command (<c>dapr-local --app-id x ... -- python3 app.py</c>, like
/// <c>dapr run --app-id x -- ...</c>): a run of one app, so the app is supervised exactly as in a run file.
/// </summary>
internal static class SingleAppRun
{
    /// <summary>The plan of that one app; it runs in <paramref name="workingDirectory"/>.</summary>
    public static RunPlan Plan(SidecarOptions options, string logLevel, IReadOnlyList<string> command, string workingDirectory)
    {
        var app = new AppPlan
        {
            AppId = options.AppId,
            Source = "the command line",
            AppDirPath = workingDirectory,
            Command = command,
            AppPort = options.AppPort,
            HttpPort = options.HttpPort,
            GrpcPort = options.GrpcPort,
            ListenAddress = options.ListenAddress,
            AppProtocol = options.AppProtocol,
            ResourcesPaths = options.ResourcesPaths,
            ConfigFile = options.ConfigFile,
            AppHealth = options.AppHealth,
            LogLevel = logLevel,
            ApiToken = options.ApiToken,
            AppApiToken = options.AppApiToken,
        };
        var commandLine = Path.Combine(workingDirectory, "(command line)");
        return new RunPlan(commandLine, options.DataDirectory, options.Embedded, [app])
        {
            Origin = $"app '{options.AppId}' from the command line",
        };
    }
}

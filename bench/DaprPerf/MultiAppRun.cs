using System.Globalization;
using Bench.Shared;

namespace DaprPerf;

/// <summary>
/// The runner's multi-app shape (<c>dapr-local run -f ... --embedded</c>): one process holding the four sidecars of the
/// system's app ids with the repository's components, each beside a small echo app (this program with
/// <c>--serve-echo</c>) standing in for the service. Its memory divided by four is the cost of a sidecar there.
/// </summary>
internal sealed class MultiAppRun : IAsyncDisposable
{
    public static readonly string[] AppIds = ["catalog", "orders", "payments", "notifications"];

    private readonly string _folder;

    private MultiAppRun(string folder, ChildProcess runner, int[] httpPorts)
    {
        _folder = folder;
        Runner = runner;
        HttpPorts = httpPorts;
    }

    public ChildProcess Runner { get; }

    /// <summary>Each app's sidecar HTTP port, in the order of <see cref="AppIds"/>.</summary>
    public int[] HttpPorts { get; }

    public static async Task<MultiAppRun> StartAsync(IReadOnlyDictionary<string, string> environment)
    {
        var folder = Directory.CreateTempSubdirectory("daprperf-run-").FullName;
        var self = Path.Combine(AppContext.BaseDirectory, "DaprPerf.dll");
        var httpPorts = AppIds.Select(_ => ChildProcess.FreePort()).ToArray();
        string P(int port) => port.ToString(CultureInfo.InvariantCulture);
        var apps = AppIds.Select((id, i) => $"""
              - appID: {id}
                appDirPath: {folder}
                appPort: {P(ChildProcess.FreePort())}
                daprHTTPPort: {P(httpPorts[i])}
                daprGRPCPort: {P(ChildProcess.FreePort())}
                metricsPort: {P(ChildProcess.FreePort())}
                command: ["dotnet", "{self}", "--serve-echo"]
            """);
        var runFile = Path.Combine(folder, "dapr.yaml");
        await File.WriteAllTextAsync(runFile, $"""
            version: 1
            common:
              resourcesPaths: ["{RepoLayout.Components}"]
              logLevel: warn
            apps:
            {string.Join("\n", apps)}
            """);
        var runner = ChildProcess.Start("runner", RepoLayout.SidecarDll,
            ["run", "-f", runFile, "--embedded", "--no-dashboard", "--data-dir", Path.Combine(folder, ".dapr")], environment);
        var run = new MultiAppRun(folder, runner, httpPorts);
        foreach (var (id, port) in AppIds.Zip(httpPorts))
        {
            await runner.WaitUntilAnswersAsync(new Uri($"http://127.0.0.1:{port}/v1.0/invoke/{id}/method/healthz"));
        }

        return run;
    }

    /// <summary>The stand-in app: answers <c>POST /echo</c> with its body on <c>APP_PORT</c>.</summary>
    public static async Task ServeEchoAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Environment.GetEnvironmentVariable("APP_PORT")}");
        var app = builder.Build();
        app.MapPost("/echo", async (HttpContext context) => await context.Request.Body.CopyToAsync(context.Response.Body));
        app.MapGet("/healthz", () => "ok");
        await app.RunAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Runner.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

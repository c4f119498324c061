using System.Globalization;
using Bench.Shared;

namespace FanIn;

/// <summary>
/// Payments as the runner runs it with <c>--embedded</c>: the Release payments app and its own sidecar process (state in
/// the embedded SQLite store, the repository's components and configuration), on free ports, data in a temp folder.
/// </summary>
internal sealed class PaymentsStack : IAsyncDisposable
{
    private readonly string _data;
    private readonly ChildProcess _sidecar;
    private readonly ChildProcess _app;

    private PaymentsStack(string data, ChildProcess sidecar, ChildProcess app, int appPort, int httpPort)
    {
        _data = data;
        _sidecar = sidecar;
        _app = app;
        Direct = new Uri($"http://127.0.0.1:{appPort}/");
        ThroughSidecar = new Uri($"http://127.0.0.1:{httpPort}/v1.0/invoke/payments/method/");
    }

    /// <summary>The app itself (its state calls still go through its sidecar).</summary>
    public Uri Direct { get; }

    /// <summary>Dapr service invocation of the app through its sidecar.</summary>
    public Uri ThroughSidecar { get; }

    public ChildProcess Sidecar => _sidecar;

    public ChildProcess App => _app;

    public static async Task<PaymentsStack> StartAsync(IReadOnlyDictionary<string, string> sidecarEnvironment, bool withConfig)
    {
        var data = Directory.CreateTempSubdirectory("fanin-").FullName;
        var (appPort, httpPort, grpcPort, metricsPort) = (ChildProcess.FreePort(), ChildProcess.FreePort(), ChildProcess.FreePort(), ChildProcess.FreePort());
        string P(int port) => port.ToString(CultureInfo.InvariantCulture);
        var sidecar = ChildProcess.Start("sidecar", RepoLayout.SidecarDll,
        [
            "--app-id", "payments", "--app-port", P(appPort), "--dapr-http-port", P(httpPort), "--dapr-grpc-port", P(grpcPort),
            "--metrics-port", P(metricsPort), "--resources-path", RepoLayout.Components,
            .. (withConfig ? new[] { "--config", Path.Combine(RepoLayout.Components, "config.yaml") } : []),
            "--embedded", "--data-dir", data, "--log-level", "warn",
        ], sidecarEnvironment);
        var app = ChildProcess.Start("payments", RepoLayout.Service("payments", "Payments.dll"), [], new Dictionary<string, string>
        {
            ["APP_PORT"] = P(appPort),
            ["DAPR_HTTP_PORT"] = P(httpPort),
            ["DAPR_GRPC_PORT"] = P(grpcPort),
        });
        var stack = new PaymentsStack(data, sidecar, app, appPort, httpPort);
        await sidecar.WaitUntilAnswersAsync(new Uri($"http://127.0.0.1:{httpPort}/v1.0/healthz/outbound"));
        await app.WaitUntilAnswersAsync(new Uri(stack.Direct, "health/ready"));
        await app.WaitUntilAnswersAsync(new Uri(stack.ThroughSidecar, "health/live"));
        return stack;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sidecar.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}

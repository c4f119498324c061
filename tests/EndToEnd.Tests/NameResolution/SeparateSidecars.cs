using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.NameResolution;

/// <summary>
/// Single sidecars started apart (one <c>dapr-local</c> process each, like one <c>daprd</c> each) that share one name
/// registry file in a temporary folder; their apps are <see cref="TinyApp"/>s of this test process.
/// </summary>
public sealed class SeparateSidecars : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly TempRunFolder _folder = new();
    private readonly List<DaprLocal> _sidecars = [];
    private readonly List<TinyApp> _apps = [];

    public string RegistryFile => Path.Combine(_folder.Path, "nr.db");

    public HttpClient Http { get; } = new();

    /// <summary>The temporary folder the sidecars run in (and that is deleted with them).</summary>
    public TempRunFolder Folder => _folder;

    /// <summary>
    /// Starts a sidecar for <paramref name="appId"/> in front of <paramref name="app"/> (none: no app port), with
    /// <paramref name="extraArgs"/> after its own; returns its HTTP port.
    /// </summary>
    public async Task<(int HttpPort, DaprLocal Process)> StartSidecarAsync(string appId, TinyApp? app = null, params string[] extraArgs)
    {
        var (httpPort, _, sidecar) = await StartSidecarWithPortsAsync(appId, app, extraArgs);
        return (httpPort, sidecar);
    }

    /// <summary>As <see cref="StartSidecarAsync"/>, also returning the gRPC port (a workflow worker connects there).</summary>
    public async Task<(int HttpPort, int GrpcPort, DaprLocal Process)> StartSidecarWithPortsAsync(
        string appId, TinyApp? app, params string[] extraArgs)
    {
        if (app is not null)
        {
            _apps.Add(app);
        }

        var (httpPort, grpcPort) = (FreePort.Next(), FreePort.Next());
        string[] args = ["--app-id", appId, "--dapr-http-port", $"{httpPort}", "--dapr-grpc-port", $"{grpcPort}"];
        if (app is not null)
        {
            args = [.. args, "--app-port", $"{app.Port}"];
        }

        args = [.. args, .. extraArgs];

        var sidecar = DaprLocal.Start(
            _folder.Path, new Dictionary<string, string> { [DaprLocal.NameRegistryVariable] = RegistryFile }, args);
        _sidecars.Add(sidecar);
        await sidecar.WaitForLineAsync($"sidecar '{appId}' serving HTTP on 127.0.0.1:{httpPort}", StartTimeout);
        return (httpPort, grpcPort, sidecar);
    }

    /// <summary>GET <paramref name="method"/> of <paramref name="appId"/> through the sidecar on <paramref name="httpPort"/>.</summary>
    public Task<HttpResponseMessage> InvokeAsync(int httpPort, string appId, string method) =>
        Http.GetAsync($"http://127.0.0.1:{httpPort}/v1.0/invoke/{appId}/method/{method}");

    public async ValueTask DisposeAsync()
    {
        foreach (var sidecar in _sidecars)
        {
            await sidecar.DisposeAsync();
        }

        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        Http.Dispose();
        _folder.Dispose();
    }
}

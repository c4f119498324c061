using System.Net;
using System.Net.Http.Json;
using EndToEnd.Tests.Infrastructure;
using EndToEnd.Tests.WholeSystem;

namespace EndToEnd.Tests.Redis;

/// <summary>
/// Two replicas of catalog on one real redis-server, each with its own sidecar, started by two runner processes that
/// share a name registry: run A holds catalog and notifications, run B a second catalog (same app id, other ports,
/// same components). Both catalogs log each request they serve, so a test can tell which replica answered.
/// </summary>
public sealed class TwoCatalogReplicas : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);

    private readonly TempRunFolder _runA = new();
    private readonly TempRunFolder _runB = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private RedisServer? _redis;
    private RedisComponents? _components;

    public DaprLocal? RunnerA { get; private set; }

    public DaprLocal? RunnerB { get; private set; }

    /// <summary>Dapr HTTP port of catalog's sidecar in run A, in run B, and of notifications' sidecar (run A).</summary>
    public (int CatalogA, int CatalogB, int Notifications) HttpPorts { get; } = (FreePort.Next(), FreePort.Next(), FreePort.Next());

    /// <summary>The port each catalog replica listens on.</summary>
    public (int CatalogA, int CatalogB) AppPorts { get; } = (FreePort.Next(), FreePort.Next());

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _components = RedisComponents.For(_redis.Host);
        var environment = new Dictionary<string, string> { [DaprLocal.NameRegistryVariable] = Path.Combine(_runA.Path, "nr.db") };

        _runA.WriteRunFile(RunFile(
            App("catalog", "catalog", HttpPorts.CatalogA, AppPorts.CatalogA, build: true),
            App("notifications", "notifications", HttpPorts.Notifications, FreePort.Next(), build: true)));
        RunnerA = DaprLocal.Start(_runA.Path, environment, "run", "-f", ".");
        await RunnerA.WaitForLineAsync("all 2 app(s) are running", StartTimeout);

        // Run B starts once run A has built catalog, so two builds never write the same files.
        _runB.WriteRunFile(RunFile(App("catalog", "catalog", HttpPorts.CatalogB, AppPorts.CatalogB, build: false)));
        RunnerB = DaprLocal.Start(_runB.Path, environment, "run", "-f", ".");
        await RunnerB.WaitForLineAsync("all 1 app(s) are running", StartTimeout);

        foreach (var port in new[] { HttpPorts.CatalogA, HttpPorts.CatalogB, HttpPorts.Notifications })
        {
            await Poll.UntilAsync($"the sidecar on {port} to reach catalog", StartTimeout,
                () => SendAsync(HttpMethod.Get, port, "catalog", "health/ready"), r => r.Status == HttpStatusCode.OK);
        }
    }

    /// <summary>Invokes <paramref name="appId"/>'s <paramref name="path"/> through the sidecar on <paramref name="port"/>.</summary>
    public async Task<Reply> SendAsync(HttpMethod method, int port, string appId, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, $"http://127.0.0.1:{port}/v1.0/invoke/{appId}/method/{path}");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        try
        {
            using var response = await _http.SendAsync(request);
            return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException e)
        {
            return new Reply(0, null, e.Message);
        }
    }

    /// <summary>How many <paramref name="method"/> requests for <paramref name="path"/> catalog replica A or B served.</summary>
    public int Served(bool replicaA, string method, string path)
    {
        var (runner, port) = replicaA ? (RunnerA!, AppPorts.CatalogA) : (RunnerB!, AppPorts.CatalogB);
        var request = $"Request starting HTTP/1.1 {method} http://127.0.0.1:{port}/{path} ";
        return runner.Stdout.Count(l => l.Contains(request, StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        foreach (var runner in new[] { RunnerB, RunnerA })
        {
            if (runner is not null)
            {
                await runner.DisposeAsync();
            }
        }

        _http.Dispose();
        _components?.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _runA.Dispose();
        _runB.Dispose();
    }

    // The apps (not the sidecars) log one line per request served: "Request starting HTTP/1.1 GET http://127.0.0.1:port/...".
    private string RunFile(params string[] apps) => $"""
        version: 1
        common:
          resourcesPaths: ["{_components!.Path}"]
          env:
            Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics: Information
        apps:
        {string.Join("\n", apps)}
        """;

    private static string App(string appId, string service, int httpPort, int appPort, bool build)
    {
        var command = build ? """["dotnet", "run", "--no-launch-profile"]""" : """["dotnet", "run", "--no-launch-profile", "--no-build"]""";
        return $"""
              - appID: {appId}
                appDirPath: {Path.Combine(RepoRoot.Path, "services", service)}
                appPort: {appPort}
                daprHTTPPort: {httpPort}
                daprGRPCPort: {FreePort.Next()}
                command: {command}
            """;
    }

    /// <summary>For messages: the last lines of both runs.</summary>
    public string Output => $"run A:\n{string.Join('\n', RunnerA?.Stdout.TakeLast(80) ?? [])}\nrun B:\n{string.Join('\n', RunnerB?.Stdout.TakeLast(80) ?? [])}";

}

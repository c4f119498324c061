using System.Net;
using System.Text;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.Runner;

/// <summary>
/// <c>run -f --embedded</c> as a whole: real sidecars serving real apps (python3's http.server), reached over the
/// sidecars' HTTP APIs the way an SDK would.
/// </summary>
public sealed class RunFileEndToEndTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempRunFolder _folder = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Run_Embedded_ServesEverySidecar_InvokesAcrossApps_AndKeepsStateBesideTheRunFile()
    {
        File.WriteAllText(Path.Combine(_folder.Folder("web"), "hello.txt"), "hello from web");
        _folder.Folder("other");
        File.WriteAllText(Path.Combine(_folder.Folder("components"), "statestore.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              type: state.redis
              version: v1
              metadata:
                - name: redisHost
                  value: localhost:6379
            """);
        var (webPort, otherPort, webHttp, otherHttp) = (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());
        _folder.WriteRunFile($"""
            version: 1
            common:
              resourcesPaths: ["./components"]
            apps:
              - appID: web
                appDirPath: ./web
                appPort: {webPort}
                daprHTTPPort: {webHttp}
                command: ["python3", "-m", "http.server", "{webPort}", "--bind", "127.0.0.1"]
              - appID: other
                appDirPath: ./other
                appPort: {otherPort}
                daprHTTPPort: {otherHttp}
                command: ["python3", "-m", "http.server", "{otherPort}", "--bind", "127.0.0.1"]
            """);

        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", ".", "--embedded");
        await runner.WaitForLineAsync("all 2 app(s) are running", Timeout);

        await WaitForHealthyAsync(webHttp);
        await WaitForHealthyAsync(otherHttp);

        var invoked = await _http.GetAsync(new Uri($"http://127.0.0.1:{otherHttp}/v1.0/invoke/web/method/hello.txt"));
        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        Assert.Equal("hello from web", await invoked.Content.ReadAsStringAsync());

        var key = $"key-{Guid.NewGuid():N}";
        using var save = new StringContent("[{\"key\":\"" + key + "\",\"value\":{\"n\":7}}]", Encoding.UTF8, "application/json");
        var saved = await _http.PostAsync(new Uri($"http://127.0.0.1:{webHttp}/v1.0/state/statestore"), save);
        Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        var read = await _http.GetStringAsync(new Uri($"http://127.0.0.1:{webHttp}/v1.0/state/statestore/{key}"));
        Assert.Equal("""{"n":7}""", read);
        Assert.True(File.Exists(Path.Combine(_folder.Path, ".dapr", "state.db")), "embedded state belongs in .dapr beside the run file");

        Processes.Signal(runner.Pid, Processes.SigInt);
        Assert.Equal(0, await runner.WaitForExitAsync(Timeout));
    }

    [Fact]
    public async Task Run_GivesTheAppItsIdPortsProtocolAndEnv()
    {
        _folder.Folder("web");
        var (appPort, httpPort, grpcPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        _folder.WriteRunFile($"""
            version: 1
            common:
              env:
                GREETING: hi
            apps:
              - appID: web
                appDirPath: ./web
                appPort: {appPort}
                daprHTTPPort: {httpPort}
                daprGRPCPort: {grpcPort}
                command: ["sh", "-c", "echo seen $APP_ID $APP_PORT $DAPR_HTTP_PORT $DAPR_GRPC_PORT $APP_PROTOCOL $GREETING; exec python3 -m http.server {appPort} --bind 127.0.0.1"]
            """);

        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", ".");
        var seen = await runner.WaitForLineAsync("| seen ", Timeout);

        Assert.Equal($"web    | seen web {appPort} {httpPort} {grpcPort} http hi", seen);
    }

    private async Task WaitForHealthyAsync(int httpPort)
    {
        var deadline = DateTime.UtcNow + Timeout;
        HttpStatusCode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{httpPort}/v1.0/healthz"));
            last = response.StatusCode;
            if (last == HttpStatusCode.NoContent)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"sidecar on {httpPort} never became healthy (last status {last})");
    }

    public void Dispose()
    {
        _http.Dispose();
        _folder.Dispose();
    }
}

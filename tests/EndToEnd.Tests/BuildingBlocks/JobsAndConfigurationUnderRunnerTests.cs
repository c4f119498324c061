using System.Net;
using System.Text;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.BuildingBlocks;

/// <summary>
/// A small app under the runner (<c>run -f --embedded</c>, real processes): it subscribes to a configuration key over
/// its sidecar's HTTP API and records what reaches its <c>/configuration</c> and <c>/job</c> routes in a file. A change
/// made with <c>dapr-local configuration set</c> reaches it, and a job scheduled before the run is stopped fires after
/// the next run starts on the same data directory.
/// </summary>
public sealed class JobsAndConfigurationUnderRunnerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string App = """
        import json, os, sys, threading, time, urllib.request
        from http.server import BaseHTTPRequestHandler, HTTPServer

        log = os.path.join(os.path.dirname(os.path.abspath(__file__)), "received.log")
        dapr = "http://127.0.0.1:" + os.environ["DAPR_HTTP_PORT"]

        def record(line):
            with open(log, "a") as f:
                f.write(line + "\n")

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0)).decode()
                record(self.path + " " + body)
                self.send_response(200)
                self.end_headers()
            def log_message(self, *args):
                pass

        def subscribe():
            while True:
                try:
                    with urllib.request.urlopen(dapr + "/v1.0/configuration/appconfig/subscribe?key=feature") as r:
                        record("subscribed " + json.load(r)["id"])
                        return
                except Exception:
                    time.sleep(0.2)

        threading.Thread(target=subscribe, daemon=True).start()
        HTTPServer(("127.0.0.1", int(os.environ["APP_PORT"])), Handler).serve_forever()
        """;

    private readonly TempRunFolder _folder = new();

    [Fact]
    public async Task ConfigurationChangeReachesTheSubscriber_AndAJobFiresAfterTheRunRestarts()
    {
        var (appPort, httpPort) = (FreePort.Next(), FreePort.Next());
        var appDirectory = _folder.Folder("worker");
        File.WriteAllText(Path.Combine(appDirectory, "app.py"), App);
        var components = _folder.Folder("components");
        File.WriteAllText(Path.Combine(components, "appconfig.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: appconfig
            spec:
              type: configuration.redis
              version: v1
              metadata:
                - name: redisHost
                  value: localhost:6379
            """);
        _folder.WriteRunFile($"""
            version: 1
            common:
              resourcesPath: ./components
            apps:
              - appID: worker
                appDirPath: ./worker
                appPort: {appPort}
                daprHTTPPort: {httpPort}
                command: ["python3", "app.py"]
            """);
        var received = Path.Combine(appDirectory, "received.log");

        await using (var run = DaprLocal.Start(_folder.Path, "run", "-f", ".", "--embedded"))
        {
            await run.WaitForLineAsync("are running and their sidecars are healthy", Timeout);
            await WaitForLineInAsync(received, "subscribed ");

            await using var set = DaprLocal.Start(_folder.Path, "configuration", "set", "appconfig", "feature", "on", "--version", "2");
            Assert.Equal(0, await set.WaitForExitAsync(Timeout));
            var change = await WaitForLineInAsync(received, "/configuration/appconfig/feature ");
            Assert.Contains("\"feature\":{\"value\":\"on\",\"version\":\"2\"}", change, StringComparison.Ordinal);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            using var scheduled = await http.PostAsync("/v1.0-alpha1/jobs/after-restart",
                new StringContent("""{"dueTime":"6s","data":{"note":"kept"}}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.NoContent, scheduled.StatusCode);

            Processes.Signal(run.Pid, Processes.SigTerm);
            Assert.Equal(0, await run.WaitForExitAsync(Timeout));
        }

        Assert.DoesNotContain(File.ReadAllLines(received), line => line.StartsWith("/job/", StringComparison.Ordinal));
        await using var again = DaprLocal.Start(_folder.Path, "run", "-f", ".", "--embedded");
        var job = await WaitForLineInAsync(received, "/job/after-restart ");

        Assert.Equal("""/job/after-restart {"note":"kept"}""", job);
        Processes.Signal(again.Pid, Processes.SigTerm);
        Assert.Equal(0, await again.WaitForExitAsync(Timeout));
    }

    /// <summary>The first line of <paramref name="file"/> starting with <paramref name="prefix"/>, waiting for it up to a minute.</summary>
    private static async Task<string> WaitForLineInAsync(string file, string prefix)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(file) && File.ReadAllLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no line starting with '{prefix}' in {file}");
    }

    public void Dispose() => _folder.Dispose();
}

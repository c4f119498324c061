using System.Text.RegularExpressions;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.Bindings;

/// <summary>
/// A small app under the runner (<c>run -f</c>) that declares nothing but answers <c>OPTIONS /ticker</c> gets the
/// events of a <c>bindings.cron</c> component of its resources folder, as under <c>dapr run -f</c>.
/// </summary>
public sealed partial class CronBindingRunTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string App = """
        import http.server, sys

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_OPTIONS(self):
                self.send_response(200)
                self.end_headers()

            def do_POST(self):
                self.rfile.read(int(self.headers.get('content-length') or 0))
                print('cron event on ' + self.path + ' at ' + self.headers.get('readTimeUTC', '?'), flush=True)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
        """;

    private readonly TempRunFolder _folder = new();

    [Fact]
    public async Task Run_DeliversCronEventsToTheApp()
    {
        File.WriteAllText(Path.Combine(_folder.Folder("ticker"), "app.py"), App);
        File.WriteAllText(Path.Combine(_folder.Folder("components"), "ticker.yaml"), """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: ticker
            spec:
              type: bindings.cron
              version: v1
              metadata:
                - name: schedule
                  value: "@every 1s"
            """);
        var (appPort, httpPort) = (FreePort.Next(), FreePort.Next());
        _folder.WriteRunFile($"""
            version: 1
            common:
              resourcesPaths: ["./components"]
            apps:
              - appID: ticker
                appDirPath: ./ticker
                appPort: {appPort}
                daprHTTPPort: {httpPort}
                command: ["python3", "app.py", "{appPort}"]
            """);

        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", ".");
        var line = await runner.WaitForLineAsync("cron event on /ticker at ", Timeout);

        Assert.Matches(EventLine(), line);
        Processes.Signal(runner.Pid, Processes.SigInt);
        Assert.Equal(0, await runner.WaitForExitAsync(Timeout));
    }

    public void Dispose() => _folder.Dispose();

    [GeneratedRegex(@"^ticker\s*\| cron event on /ticker at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC$")]
    private static partial Regex EventLine();
}

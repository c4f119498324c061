using System.Net;
using System.Text.RegularExpressions;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.Runner;

/// <summary>The Aspire Dashboard starts with a run (it answers on its port, its URL is printed) and stops with it.</summary>
public sealed partial class DashboardProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempRunFolder _folder = new();
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Run_StartsTheDashboard_PrintsItsUrl_AndStopsItOnCtrlC()
    {
        var appPort = FreePort.Next();
        _folder.WriteRunFile($"""
            version: 1
            apps:
              - appID: web
                appDirPath: ./web
                appPort: {appPort}
                command: ["python3", "-m", "http.server", "{appPort}", "--bind", "127.0.0.1"]
            """);
        _folder.Folder("web");

        await using var runner = DaprLocal.Start(_folder.Path, new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "" },
            "run", "-f", ".", "--embedded", "--dashboard");
        var line = await runner.WaitForLineAsync("dashboard: http://127.0.0.1:", Timeout);
        var match = DashboardLine().Match(line);
        Assert.True(match.Success, line);
        var (url, pid) = (match.Groups["url"].Value, int.Parse(match.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture));

        var login = await _http.GetAsync(new Uri(url));
        Assert.True(login.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Found, $"{url}: {login.StatusCode}");
        Assert.True(Directory.Exists($"/proc/{pid}"), "the dashboard process is not running");

        await runner.WaitForLineAsync("all 1 app(s) are running", Timeout);
        Processes.Signal(runner.Pid, Processes.SigInt);
        Assert.Equal(0, await runner.WaitForExitAsync(Timeout));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (Processes.IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.False(Processes.IsAlive(pid), $"dashboard pid {pid} is still running after the run stopped");
    }

    [GeneratedRegex(@"dashboard: (?<url>http://127\.0\.0\.1:\d+/login\?t=[0-9a-f]+) \(pid (?<pid>\d+);")]
    private static partial Regex DashboardLine();

    public void Dispose()
    {
        _http.Dispose();
        _folder.Dispose();
    }
}

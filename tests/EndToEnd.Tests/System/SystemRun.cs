using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.WholeSystem;

/// <summary>
/// The whole system started the way a person starts it: the built <c>dapr-local run -f &lt;repo&gt;</c> with the
/// repository's own <c>dapr.yaml</c>, on the components and data of a <see cref="SystemData"/> (<c>--embedded</c>, or
/// Redis), settings passed through the environment (the apps inherit it). Disposing always leaves nothing running: the runner and every app's process
/// group (apps run under setsid, so they outlive a runner that is killed).
/// </summary>
public sealed partial class SystemRun : IAsyncDisposable
{
    /// <summary>Each start runs <c>dotnet run</c> for four apps; on a 2-core machine that takes up to a minute or more.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan GoneTimeout = TimeSpan.FromSeconds(15);

    private readonly DaprLocal _runner;

    private SystemRun(DaprLocal runner)
    {
        _runner = runner;
    }

    /// <summary>The runner's output so far (the last lines; enough to see why something did not happen).</summary>
    public string Output
    {
        get
        {
            var lines = _runner.Output.Split('\n');
            return string.Join('\n', lines.TakeLast(300));
        }
    }

    /// <summary>The runner's whole stdout, the apps' lines included.</summary>
    public IReadOnlyList<string> Stdout => _runner.Stdout;

    /// <summary>The process group of each app the runner started (the pid it printed: setsid makes it the group leader).</summary>
    public IReadOnlyList<int> AppGroups =>
        [.. _runner.Stdout.Select(l => StartedApp().Match(l)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    /// <summary>Starts the system and waits until every sidecar is healthy and every app answers through it.</summary>
    public static async Task<SystemRun> StartAsync(SystemData data, IReadOnlyDictionary<string, string> settings, SystemClient client)
    {
        var runner = DaprLocal.Start(RepoRoot.Path, settings, ["run", "-f", RepoRoot.Path, .. data.RunnerArguments]);
        var run = new SystemRun(runner);
        try
        {
            await run.WaitUntilReadyAsync(client);
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(SystemClient client)
    {
        var clock = Stopwatch.StartNew();
        await _runner.WaitForLineAsync($"all {SystemApp.All.Count} app(s) are running", StartTimeout);
        foreach (var app in SystemApp.All)
        {
            var left = StartTimeout - clock.Elapsed;
            try
            {
                await Poll.UntilAsync($"sidecar of '{app.AppId}' to be healthy (204)", left,
                    () => client.SidecarHealthAsync(app), r => r.Status == HttpStatusCode.NoContent);
                await Poll.UntilAsync($"app '{app.AppId}' to answer /health/ready through its sidecar (200)", StartTimeout - clock.Elapsed,
                    () => client.AppHealthAsync(app), r => r.Status == HttpStatusCode.OK);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}\nrunner output:\n{Output}", e);
            }
        }
    }

    /// <summary>Ctrl+C, as a person stops it: the runner must stop every app and exit 0, leaving no app process.</summary>
    public async Task StopAsync()
    {
        var groups = AppGroups;
        Processes.Signal(_runner.Pid, Processes.SigInt);
        var exitCode = await _runner.WaitForExitAsync(StopTimeout);
        Assert.True(exitCode == 0, $"dapr-local exited {exitCode} on Ctrl+C; output:\n{Output}");
        await WaitUntilGoneAsync(groups);
    }

    /// <summary>
    /// A machine crash: SIGKILL to the runner and to every app's process group, nothing gets to clean up. Returns
    /// once all of them are gone and every port of the run file can be bound again.
    /// </summary>
    public async Task CrashAsync()
    {
        var groups = AppGroups;
        Processes.Signal(_runner.Pid, Processes.SigKill);
        foreach (var group in groups)
        {
            Processes.Signal(-group, Processes.SigKill);
        }

        await _runner.WaitForExitAsync(GoneTimeout);
        await WaitUntilGoneAsync(groups);
        var ports = SystemApp.All.SelectMany(a => a.Ports).ToList();
        await Poll.UntilAsync("every port of dapr.yaml to be free after the crash", GoneTimeout,
            () => Task.FromResult(string.Join(", ", ports.Where(p => !FreePort.IsFree(p)))), busy => busy.Length == 0);
    }

    private static async Task WaitUntilGoneAsync(IReadOnlyList<int> groups) =>
        await Poll.UntilAsync("every app process to be gone", GoneTimeout,
            () => Task.FromResult(string.Join(", ", groups.SelectMany(Processes.GroupMembers))), alive => alive.Length == 0);

    /// <summary>Whatever happened before: stops the runner (gracefully if it still can), then kills any app left.</summary>
    public async ValueTask DisposeAsync()
    {
        var groups = AppGroups;
        await _runner.DisposeAsync();
        foreach (var group in groups.Where(g => Processes.GroupMembers(g).Count > 0))
        {
            Processes.Signal(-group, Processes.SigKill);
        }
    }

    [GeneratedRegex(@"started app '[^']+' \(pid (\d+)\)")]
    private static partial Regex StartedApp();
}

using System.Globalization;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.Runner;

/// <summary>
/// A run folder for the runner's lifecycle tests, with their apps (small shell and python3 servers) and the checks
/// every one of them makes: the process tree of a running run, that none of it is left, and that the same run file
/// starts again.
/// </summary>
internal sealed class RunTrees : IDisposable
{
    /// <summary>Generous: the machine has 2 cores shared with builds and other test runs.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public TempRunFolder Folder { get; } = new();

    /// <summary>sh with python3 below it: the app the runner started is not the process that serves.</summary>
    public static string Server(int port) =>
        $"""["sh", "-c", "python3 -m http.server {port} --bind 127.0.0.1 & wait"]""";

    /// <summary>As <see cref="Server"/>, but both ignore SIGTERM (an ignored signal stays ignored across exec).</summary>
    public static string StubbornServer(int port) =>
        $"""["sh", "-c", "trap '' TERM; python3 -m http.server {port} --bind 127.0.0.1 & wait"]""";

    /// <summary>A run file of two servers, <c>one</c> and <c>two</c> (stubborn if asked); returns its path.</summary>
    public string TwoServers(int portOne, int portTwo, bool stubborn = false)
    {
        Folder.Folder("one");
        Folder.Folder("two");
        return Folder.WriteRunFile($"""
            version: 1
            apps:
              - appID: one
                appDirPath: ./one
                appPort: {portOne}
                command: {Server(portOne)}
              - appID: two
                appDirPath: ./two
                appPort: {portTwo}
                command: {(stubborn ? StubbornServer(portTwo) : Server(portTwo))}
            """);
    }

    public static bool IsWatchdog(int pid) => Processes.Describe([pid]).Contains("dapr-local watchdog", StringComparison.Ordinal);

    /// <summary>
    /// Waits until the run reports its apps running, then returns every process below <paramref name="runner"/>
    /// (the runner, its watchdog, each app still running and what the app started).
    /// </summary>
    public static async Task<IReadOnlyList<int>> RunningTreeAsync(DaprLocal runner, int apps, string? running = null)
    {
        await runner.WaitForLineAsync(running ?? $"all {apps} app(s) are running", Timeout);
        var appPids = runner.Stdout
            .Where(l => l.Contains("| started app '", StringComparison.Ordinal))
            .Select(l => int.Parse(l.Split("(pid ")[1].Split(')')[0], CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(apps, appPids.Count);
        var tree = Processes.TreeOf(runner.Pid);
        Assert.All(appPids.Where(Processes.IsAlive), pid => Assert.Contains(pid, tree));
        Assert.Contains(tree, IsWatchdog);
        return tree;
    }

    public static async Task AssertGoneAsync(IReadOnlyList<int> tree, DaprLocal runner)
    {
        var left = await Processes.WaitUntilGoneAsync(tree, TimeSpan.FromSeconds(15));
        Assert.True(left.Count == 0, $"left running: {Processes.Describe(left)}\n{runner.Output}");
    }

    /// <summary>The same run file starts again (every port free, nothing stale in the way), then stops cleanly.</summary>
    public async Task AssertStartsAgainAsync(int apps, string? running = null)
    {
        await using var again = DaprLocal.Start(Folder.Path, "run", "-f", ".");
        var tree = await RunningTreeAsync(again, apps, running);
        Processes.Signal(again.Pid, Processes.SigTerm);
        Assert.Equal(0, await again.WaitForExitAsync(Timeout));
        await AssertGoneAsync(tree, again);
    }

    public void Dispose() => Folder.Dispose();
}

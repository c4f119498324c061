using System.Diagnostics;
using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.Runner;

/// <summary>
/// The runner never leaves a process behind, whatever signal stops it: SIGTERM (through <c>dotnet run</c>'s group, and
/// in the middle of a build), SIGINT twice, SIGKILL of the runner or its whole group, SIGKILL after its watchdog was
/// killed. Real processes (sh with python3 below it, as <c>dotnet run</c> has a grandchild), real signals; every test
/// walks the process tree first, asserts none of it is left afterwards, and that the same run file starts again.
/// </summary>
public sealed class RunnerSignalTests : IDisposable
{
    private readonly RunTrees _runs = new();

    [Fact]
    public async Task Sigterm_ToTheProcessGroupOfDotnetRun_StopsEveryAppAndExitsZero()
    {
        // The case: `setsid dotnet run --project sidecar -- run -f . &`, then SIGTERM to its group. The runner
        // gets the signal twice (directly, and forwarded by dotnet run) and must still stop every app in order.
        _runs.TwoServers(FreePort.Next(), FreePort.Next());
        await using var runner = DaprLocal.StartThroughDotnetRun(_runs.Folder.Path, "run", "-f", ".");
        var tree = await RunTrees.RunningTreeAsync(runner, apps: 2);

        Processes.Signal(-runner.Pid, Processes.SigTerm);

        Assert.Equal(0, await runner.WaitForExitAsync(RunTrees.Timeout));
        await RunTrees.AssertGoneAsync(tree, runner);
        Assert.Contains(runner.Stdout, l => l.Contains("| stopping: apps get 5 s", StringComparison.Ordinal));
        Assert.DoesNotContain(runner.Stdout, l => l.Contains("exited with code", StringComparison.Ordinal));
        await _runs.AssertStartsAgainAsync(apps: 2);
    }

    [Fact]
    public async Task Sigint_Twice_CutsTheGracePeriodShort_AndStillKillsEveryApp()
    {
        _runs.TwoServers(FreePort.Next(), FreePort.Next(), stubborn: true);
        await using var runner = DaprLocal.Start(_runs.Folder.Path, "run", "-f", ".", "--grace-period", "600");
        var tree = await RunTrees.RunningTreeAsync(runner, apps: 2);

        Processes.Signal(runner.Pid, Processes.SigInt);
        await runner.WaitForLineAsync("| stopping", RunTrees.Timeout);
        // Signals within a second of the first are the same request (a group signal and dotnet run's copy of it).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(runner.HasExited, "the stubborn app was not given its grace period");
        Processes.Signal(runner.Pid, Processes.SigInt);

        // Well inside the 600 s grace period: the second signal cut it short, and the kill still happened.
        Assert.Equal(0, await runner.WaitForExitAsync(RunTrees.Timeout));
        await RunTrees.AssertGoneAsync(tree, runner);
        await _runs.AssertStartsAgainAsync(apps: 2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sigkill_OfTheRunner_LeavesNoAppBehind(bool wholeGroup)
    {
        var (portOne, portTwo) = (FreePort.Next(), FreePort.Next());
        _runs.TwoServers(portOne, portTwo, stubborn: true);
        await using var runner = DaprLocal.StartInOwnGroup(_runs.Folder.Path, "run", "-f", ".");
        var tree = await RunTrees.RunningTreeAsync(runner, apps: 2);

        Processes.Signal(wholeGroup ? -runner.Pid : runner.Pid, Processes.SigKill);

        Assert.Equal(137, await runner.WaitForExitAsync(RunTrees.Timeout));
        await RunTrees.AssertGoneAsync(tree, runner);
        Assert.True(FreePort.IsFree(portOne) && FreePort.IsFree(portTwo), "an app port is still held");
        await _runs.AssertStartsAgainAsync(apps: 2);
    }

    [Fact]
    public async Task Sigkill_OfTheRunner_AfterItsWatchdogWasKilled_StillLeavesNoAppBehind()
    {
        _runs.TwoServers(FreePort.Next(), FreePort.Next());
        await using var runner = DaprLocal.Start(_runs.Folder.Path, "run", "-f", ".");
        var tree = await RunTrees.RunningTreeAsync(runner, apps: 2);
        var watchdog = tree.Single(RunTrees.IsWatchdog);

        Processes.Signal(watchdog, Processes.SigKill);
        var clock = Stopwatch.StartNew();
        int? replacement = null;
        while (replacement is null && clock.Elapsed < RunTrees.Timeout)
        {
            await Task.Delay(50);
            replacement = Processes.TreeOf(runner.Pid)
                .Where(p => p != watchdog && Processes.IsAlive(p) && RunTrees.IsWatchdog(p))
                .Cast<int?>()
                .FirstOrDefault();
        }

        Assert.True(replacement is not null, "no new watchdog replaced the killed one");
        Processes.Signal(runner.Pid, Processes.SigKill);

        await runner.WaitForExitAsync(RunTrees.Timeout);
        await RunTrees.AssertGoneAsync([.. tree.Where(p => p != watchdog), replacement.Value], runner);
        await _runs.AssertStartsAgainAsync(apps: 2);
    }

    [Fact]
    public async Task Sigterm_WhileTheAppsAreBuilding_StopsTheBuildAndEverythingItStarted()
    {
        // A real `dotnet run` app, so the runner builds it first; the signal lands in the middle of that build.
        var app = _runs.Folder.Folder("console");
        File.WriteAllText(Path.Combine(app, "console.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """System.Console.WriteLine("up"); System.Threading.Thread.Sleep(-1);""");
        _runs.Folder.WriteRunFile("""
            version: 1
            apps:
              - appID: console
                appDirPath: ./console
                command: ["dotnet", "run", "--no-launch-profile"]
            """);
        await using var runner = DaprLocal.Start(_runs.Folder.Path, "run", "-f", ".");
        await runner.WaitForLineAsync("| building the .NET projects of console once", RunTrees.Timeout);
        var tree = Processes.TreeOf(runner.Pid);
        var clock = Stopwatch.StartNew();
        while (!tree.Any(IsBuild) && clock.Elapsed < RunTrees.Timeout)
        {
            // The line comes just before the build process starts.
            await Task.Delay(20);
            tree = Processes.TreeOf(runner.Pid);
        }

        Assert.Contains(tree, IsBuild);

        Processes.Signal(runner.Pid, Processes.SigTerm);

        Assert.Equal(0, await runner.WaitForExitAsync(RunTrees.Timeout));
        await RunTrees.AssertGoneAsync(tree, runner);
        Assert.DoesNotContain(runner.Stdout, l => l.Contains("| started app", StringComparison.Ordinal));

        // The interrupted build stamped nothing: the next start builds, then runs the app through `dotnet run --no-build`.
        await _runs.AssertStartsAgainAsync(apps: 1);
    }

    private static bool IsBuild(int pid) => Processes.Describe([pid]).Contains("dotnet build", StringComparison.Ordinal);

    public void Dispose() => _runs.Dispose();
}

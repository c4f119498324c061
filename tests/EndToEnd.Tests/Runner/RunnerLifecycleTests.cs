using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EndToEnd.Tests.Infrastructure;
using Sidecar.Runner;

namespace EndToEnd.Tests.Runner;

/// <summary>
/// The runner never leaves a process behind, whatever stops it: real processes (small shell and python3 apps, one
/// with a grandchild as <c>dotnet run</c> has), real signals. Every test walks the process tree before the end,
/// asserts that none of it is left afterwards, and that the same run file starts again on the same ports.
/// </summary>
public sealed class RunnerLifecycleTests : IDisposable
{
    /// <summary>Generous: the machine has 2 cores shared with builds and other test runs.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempRunFolder _folder = new();

    /// <summary>sh with python3 below it: the app the runner started is not the process that serves.</summary>
    private static string Server(int port) =>
        $"""["sh", "-c", "python3 -m http.server {port} --bind 127.0.0.1 & wait"]""";

    /// <summary>As <see cref="Server"/>, but both ignore SIGTERM (an ignored signal stays ignored across exec).</summary>
    private static string StubbornServer(int port) =>
        $"""["sh", "-c", "trap '' TERM; python3 -m http.server {port} --bind 127.0.0.1 & wait"]""";

    private string TwoServers(int portOne, int portTwo, bool stubborn = false)
    {
        _folder.Folder("one");
        _folder.Folder("two");
        return _folder.WriteRunFile($"""
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

    [Fact]
    public async Task Sigterm_ToTheProcessGroupOfDotnetRun_StopsEveryAppAndExitsZero()
    {
        // The case: `setsid dotnet run --project sidecar -- run -f . &`, then SIGTERM to its group. The runner
        // gets the signal twice (directly, and forwarded by dotnet run) and must still stop every app in order.
        TwoServers(FreePort.Next(), FreePort.Next());
        await using var runner = DaprLocal.StartThroughDotnetRun(_folder.Path, "run", "-f", ".");
        var tree = await RunningTreeAsync(runner, apps: 2);

        Processes.Signal(-runner.Pid, Processes.SigTerm);

        Assert.Equal(0, await runner.WaitForExitAsync(Timeout));
        await AssertGoneAsync(tree, runner);
        Assert.Contains(runner.Stdout, l => l.Contains("| stopping: apps get 5 s", StringComparison.Ordinal));
        Assert.DoesNotContain(runner.Stdout, l => l.Contains("exited with code", StringComparison.Ordinal));
        await AssertStartsAgainAsync(apps: 2);
    }

    [Fact]
    public async Task Sigint_Twice_CutsTheGracePeriodShort_AndStillKillsEveryApp()
    {
        TwoServers(FreePort.Next(), FreePort.Next(), stubborn: true);
        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", ".", "--grace-period", "600");
        var tree = await RunningTreeAsync(runner, apps: 2);

        Processes.Signal(runner.Pid, Processes.SigInt);
        await runner.WaitForLineAsync("| stopping", Timeout);
        // Signals within a second of the first are the same request (a group signal and dotnet run's copy of it).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(runner.HasExited, "the stubborn app was not given its grace period");
        Processes.Signal(runner.Pid, Processes.SigInt);

        // Well inside the 600 s grace period: the second signal cut it short, and the kill still happened.
        Assert.Equal(0, await runner.WaitForExitAsync(Timeout));
        await AssertGoneAsync(tree, runner);
        await AssertStartsAgainAsync(apps: 2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sigkill_OfTheRunner_LeavesNoAppBehind(bool wholeGroup)
    {
        var (portOne, portTwo) = (FreePort.Next(), FreePort.Next());
        TwoServers(portOne, portTwo, stubborn: true);
        await using var runner = DaprLocal.StartInOwnGroup(_folder.Path, "run", "-f", ".");
        var tree = await RunningTreeAsync(runner, apps: 2);

        Processes.Signal(wholeGroup ? -runner.Pid : runner.Pid, Processes.SigKill);

        Assert.Equal(137, await runner.WaitForExitAsync(Timeout));
        await AssertGoneAsync(tree, runner);
        Assert.True(CanBind(portOne) && CanBind(portTwo), "an app port is still held");
        await AssertStartsAgainAsync(apps: 2);
    }

    [Fact]
    public async Task Sigkill_OfTheRunner_AfterItsWatchdogWasKilled_StillLeavesNoAppBehind()
    {
        TwoServers(FreePort.Next(), FreePort.Next());
        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", ".");
        var tree = await RunningTreeAsync(runner, apps: 2);
        var watchdog = tree.Single(IsWatchdog);

        Processes.Signal(watchdog, Processes.SigKill);
        var clock = Stopwatch.StartNew();
        int? replacement = null;
        while (replacement is null && clock.Elapsed < Timeout)
        {
            await Task.Delay(50);
            replacement = Processes.TreeOf(runner.Pid)
                .Where(p => p != watchdog && Processes.IsAlive(p) && IsWatchdog(p))
                .Cast<int?>()
                .FirstOrDefault();
        }

        Assert.True(replacement is not null, "no new watchdog replaced the killed one");
        Processes.Signal(runner.Pid, Processes.SigKill);

        await runner.WaitForExitAsync(Timeout);
        await AssertGoneAsync([.. tree.Where(p => p != watchdog), replacement.Value], runner);
        await AssertStartsAgainAsync(apps: 2);
    }

    [Fact]
    public async Task Sigterm_WhileTheAppsAreBuilding_StopsTheBuildAndEverythingItStarted()
    {
        // A real `dotnet run` app, so the runner builds it first; the signal lands in the middle of that build.
        var app = _folder.Folder("console");
        File.WriteAllText(Path.Combine(app, "console.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """System.Console.WriteLine("up"); System.Threading.Thread.Sleep(-1);""");
        _folder.WriteRunFile("""
            version: 1
            apps:
              - appID: console
                appDirPath: ./console
                command: ["dotnet", "run", "--no-launch-profile"]
            """);
        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", ".");
        await runner.WaitForLineAsync("| building the .NET projects of console once", Timeout);
        var tree = Processes.TreeOf(runner.Pid);
        var clock = Stopwatch.StartNew();
        while (!tree.Any(IsBuild) && clock.Elapsed < Timeout)
        {
            // The line comes just before the build process starts.
            await Task.Delay(20);
            tree = Processes.TreeOf(runner.Pid);
        }

        Assert.Contains(tree, IsBuild);

        Processes.Signal(runner.Pid, Processes.SigTerm);

        Assert.Equal(0, await runner.WaitForExitAsync(Timeout));
        await AssertGoneAsync(tree, runner);
        Assert.DoesNotContain(runner.Stdout, l => l.Contains("| started app", StringComparison.Ordinal));

        // The interrupted build stamped nothing: the next start builds, then runs the app through `dotnet run --no-build`.
        await AssertStartsAgainAsync(apps: 1);
    }

    private static bool IsBuild(int pid) => Processes.Describe([pid]).Contains("dotnet build", StringComparison.Ordinal);

    private static bool IsWatchdog(int pid) => Processes.Describe([pid]).Contains("dapr-local watchdog", StringComparison.Ordinal);

    [Fact]
    public async Task AppCrashingDuringStart_IsReportedWithItsLastLines_AndTheOthersKeepRunning()
    {
        _folder.Folder("crasher");
        _folder.Folder("web");
        var (crasherPort, webPort) = (FreePort.Next(), FreePort.Next());
        _folder.WriteRunFile($"""
            version: 1
            apps:
              - appID: crasher
                appDirPath: ./crasher
                appPort: {crasherPort}
                command: ["python3", "-c", "import sys; print('loading config'); print('config is broken', file=sys.stderr); sys.exit(3)"]
              - appID: web
                appDirPath: ./web
                appPort: {webPort}
                command: {Server(webPort)}
            """);
        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", ".");

        await runner.WaitForLineAsync("| app 'crasher' exited with code 3", Timeout);
        var tree = await RunningTreeAsync(runner, apps: 2, running: "1 of 2 app(s) are running");
        var report = string.Join('\n', runner.Stdout.SkipWhile(l => !l.Contains("exited with code 3", StringComparison.Ordinal)));
        Assert.Contains("last lines of 'crasher':", report, StringComparison.Ordinal);
        Assert.Contains("|   loading config", report, StringComparison.Ordinal);
        Assert.Contains("|   config is broken", report, StringComparison.Ordinal);
        Assert.False(runner.HasExited);
        Assert.True(await PortCheck.IsListeningAsync(webPort, CancellationToken.None), "web stopped with the crasher");

        Processes.Signal(runner.Pid, Processes.SigTerm);

        Assert.Equal(0, await runner.WaitForExitAsync(Timeout));
        await AssertGoneAsync(tree, runner);
        await AssertStartsAgainAsync(apps: 2, running: "1 of 2 app(s) are running");
    }

    [Fact]
    public async Task AppsExitingLater_AreEachReported_AndWhenAllHaveExited_TheRunEndsWithTheWorstExitCode()
    {
        // Each app waits for a file the test creates, so each exits exactly when the test says.
        var client = _folder.Folder("client");
        var flaky = _folder.Folder("flaky");
        var port = FreePort.Next();
        _folder.WriteRunFile($"""
            version: 1
            apps:
              - appID: client
                appDirPath: ./client
                command: ["sh", "-c", "while [ ! -e go ]; do sleep 0.1; done; echo all done"]
              - appID: flaky
                appDirPath: ./flaky
                appPort: {port}
                command: ["sh", "-c", "python3 -m http.server {port} --bind 127.0.0.1 & while [ ! -e go ]; do sleep 0.1; done; echo giving up; exit 4"]
            """);
        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", ".");
        var tree = await RunningTreeAsync(runner, apps: 2);

        // The console client finishes; the service keeps running.
        await File.WriteAllTextAsync(Path.Combine(client, "go"), "");
        await runner.WaitForLineAsync("| app 'client' exited with code 0", Timeout);
        await runner.WaitForLineAsync("|   all done", Timeout);
        Assert.True(await PortCheck.IsListeningAsync(port, CancellationToken.None), "flaky was stopped when the client finished");
        Assert.False(runner.HasExited);

        await File.WriteAllTextAsync(Path.Combine(flaky, "go"), "");
        var exitCode = await runner.WaitForExitAsync(Timeout);

        Assert.Equal(4, exitCode);
        Assert.Contains(runner.Stdout, l => l.EndsWith("|   giving up", StringComparison.Ordinal));
        Assert.Equal("dapr-local: every app has exited; 'flaky' exited with code 4", Assert.Single(runner.Stderr));
        await AssertGoneAsync(tree, runner);
        Assert.True(CanBind(port), "python3, left behind by flaky's sh, still holds its port");

        File.Delete(Path.Combine(client, "go"));
        File.Delete(Path.Combine(flaky, "go"));
        await AssertStartsAgainAsync(apps: 2);
    }

    [Fact]
    public async Task PortHeldByAnotherProcess_IsNamedWithTheSettingAndTheHoldersPidAndCommand()
    {
        _folder.Folder("web");
        var port = FreePort.Next();
        var path = _folder.WriteRunFile($"""
            version: 1
            apps:
              - appID: web
                appDirPath: ./web
                appPort: {port}
                command: {Server(port)}
            """);
        using var occupant = Process.Start(new ProcessStartInfo("python3", ["-m", "http.server", $"{port}", "--bind", "127.0.0.1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            Assert.True(await WaitUntilListeningAsync(port), "the occupying python3 did not listen");

            await using (var runner = DaprLocal.Start(_folder.Path, "run", "-f", "."))
            {
                Assert.Equal(1, await runner.WaitForExitAsync(Timeout));
                var error = Assert.Single(runner.Stderr);
                Assert.StartsWith($"dapr-local: port {port} (appPort of app 'web', {path}:3) is already in use by pid ", error, StringComparison.Ordinal);
                Assert.Contains($"http.server {port} --bind 127.0.0.1", error, StringComparison.Ordinal);
                string[] occupantPids = [.. Processes.TreeOf(occupant.Id).Select(p => $"{p}")];
                Assert.Contains(HolderPid(error), occupantPids);
            }
        }
        finally
        {
            occupant.Kill(entireProcessTree: true);
            await occupant.WaitForExitAsync();
        }

        await AssertStartsAgainAsync(apps: 1);
    }

    [Fact]
    public async Task SingleSidecar_WithAnAppCommand_IsSupervisedLikeARun_AndKilledWithIt()
    {
        var (appPort, httpPort, grpcPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        string[] args =
        [
            "--app-id", "solo", "--app-port", $"{appPort}", "--dapr-http-port", $"{httpPort}", "--dapr-grpc-port", $"{grpcPort}",
            "--", "sh", "-c", $"trap '' TERM; python3 -m http.server {appPort} --bind 127.0.0.1 & wait",
        ];
        await using var sidecar = DaprLocal.StartInOwnGroup(_folder.Path, args);
        var tree = await RunningTreeAsync(sidecar, apps: 1);
        Assert.True(await PortCheck.IsListeningAsync(httpPort, CancellationToken.None));

        Processes.Signal(sidecar.Pid, Processes.SigKill);

        await sidecar.WaitForExitAsync(Timeout);
        await AssertGoneAsync(tree, sidecar);
        Assert.True(CanBind(appPort) && CanBind(httpPort), "a port of the killed sidecar or its app is still held");

        await using var again = DaprLocal.Start(_folder.Path, args);
        var second = await RunningTreeAsync(again, apps: 1);
        Processes.Signal(again.Pid, Processes.SigTerm);
        Assert.Equal(0, await again.WaitForExitAsync(Timeout));
        await AssertGoneAsync(second, again);
    }

    [Fact]
    public async Task SingleSidecar_WithAnAppCommand_ExitsWithTheAppsExitCode()
    {
        await using var sidecar = DaprLocal.Start(
            _folder.Path, "--app-id", "job", "--dapr-http-port", $"{FreePort.Next()}", "--dapr-grpc-port", $"{FreePort.Next()}",
            "--", "sh", "-c", "echo working; exit 6");

        Assert.Equal(6, await sidecar.WaitForExitAsync(Timeout));
        Assert.Contains(sidecar.Stdout, l => l.EndsWith("| working", StringComparison.Ordinal));
        Assert.Equal("dapr-local: every app has exited; 'job' exited with code 6", Assert.Single(sidecar.Stderr));
    }

    /// <summary>
    /// Waits until the run reports its apps running, then returns every process below <paramref name="runner"/>
    /// (the runner, its watchdog, each app still running and what the app started).
    /// </summary>
    private static async Task<IReadOnlyList<int>> RunningTreeAsync(DaprLocal runner, int apps, string? running = null)
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

    private static async Task AssertGoneAsync(IReadOnlyList<int> tree, DaprLocal runner)
    {
        var left = await Processes.WaitUntilGoneAsync(tree, TimeSpan.FromSeconds(15));
        Assert.True(left.Count == 0, $"left running: {Processes.Describe(left)}\n{runner.Output}");
    }

    /// <summary>The same run file starts again (every port free, nothing stale in the way), then stops cleanly.</summary>
    private async Task AssertStartsAgainAsync(int apps, string? running = null)
    {
        await using var again = DaprLocal.Start(_folder.Path, "run", "-f", ".");
        var tree = await RunningTreeAsync(again, apps, running);
        Processes.Signal(again.Pid, Processes.SigTerm);
        Assert.Equal(0, await again.WaitForExitAsync(Timeout));
        await AssertGoneAsync(tree, again);
    }

    private static string HolderPid(string error)
    {
        var afterPid = error.Split(" by pid ")[1];
        return afterPid[..afterPid.IndexOf(':', StringComparison.Ordinal)];
    }

    private static async Task<bool> WaitUntilListeningAsync(int port)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Timeout)
        {
            if (await PortCheck.IsListeningAsync(port, CancellationToken.None))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => _folder.Dispose();
}

using System.Diagnostics;
using EndToEnd.Tests.Infrastructure;
using Sidecar.Runner;

namespace EndToEnd.Tests.Runner;

/// <summary>
/// What the runner does when apps end on their own or cannot start: a crash during start and later exits are reported
/// with the app's last lines and the run ends with the worst exit code once every app has exited; a port held by
/// another process is named with its setting and holder; a single sidecar with an app command is supervised the same
/// way. As in <see cref="RunnerSignalTests"/>, nothing of the run's process tree is left afterwards.
/// </summary>
public sealed class RunnerAppExitTests : IDisposable
{
    private readonly RunTrees _runs = new();

    [Fact]
    public async Task AppCrashingDuringStart_IsReportedWithItsLastLines_AndTheOthersKeepRunning()
    {
        _runs.Folder.Folder("crasher");
        _runs.Folder.Folder("web");
        var (crasherPort, webPort) = (FreePort.Next(), FreePort.Next());
        _runs.Folder.WriteRunFile($"""
            version: 1
            apps:
              - appID: crasher
                appDirPath: ./crasher
                appPort: {crasherPort}
                command: ["python3", "-c", "import sys; print('loading config'); print('config is broken', file=sys.stderr); sys.exit(3)"]
              - appID: web
                appDirPath: ./web
                appPort: {webPort}
                command: {RunTrees.Server(webPort)}
            """);
        await using var runner = DaprLocal.Start(_runs.Folder.Path, "run", "-f", ".");

        await runner.WaitForLineAsync("| app 'crasher' exited with code 3", RunTrees.Timeout);
        var tree = await RunTrees.RunningTreeAsync(runner, apps: 2, running: "1 of 2 app(s) are running");
        var report = string.Join('\n', runner.Stdout.SkipWhile(l => !l.Contains("exited with code 3", StringComparison.Ordinal)));
        Assert.Contains("last lines of 'crasher':", report, StringComparison.Ordinal);
        Assert.Contains("|   loading config", report, StringComparison.Ordinal);
        Assert.Contains("|   config is broken", report, StringComparison.Ordinal);
        Assert.False(runner.HasExited);
        Assert.True(await PortCheck.IsListeningAsync(webPort, CancellationToken.None), "web stopped with the crasher");

        Processes.Signal(runner.Pid, Processes.SigTerm);

        Assert.Equal(0, await runner.WaitForExitAsync(RunTrees.Timeout));
        await RunTrees.AssertGoneAsync(tree, runner);
        await _runs.AssertStartsAgainAsync(apps: 2, running: "1 of 2 app(s) are running");
    }

    [Fact]
    public async Task AppsExitingLater_AreEachReported_AndWhenAllHaveExited_TheRunEndsWithTheWorstExitCode()
    {
        // Each app waits for a file the test creates, so each exits exactly when the test says.
        var client = _runs.Folder.Folder("client");
        var flaky = _runs.Folder.Folder("flaky");
        var port = FreePort.Next();
        _runs.Folder.WriteRunFile($"""
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
        await using var runner = DaprLocal.Start(_runs.Folder.Path, "run", "-f", ".");
        var tree = await RunTrees.RunningTreeAsync(runner, apps: 2);

        // The console client finishes; the service keeps running.
        await File.WriteAllTextAsync(Path.Combine(client, "go"), "");
        await runner.WaitForLineAsync("| app 'client' exited with code 0", RunTrees.Timeout);
        await runner.WaitForLineAsync("|   all done", RunTrees.Timeout);
        Assert.True(await PortCheck.IsListeningAsync(port, CancellationToken.None), "flaky was stopped when the client finished");
        Assert.False(runner.HasExited);

        await File.WriteAllTextAsync(Path.Combine(flaky, "go"), "");
        var exitCode = await runner.WaitForExitAsync(RunTrees.Timeout);

        Assert.Equal(4, exitCode);
        Assert.Contains(runner.Stdout, l => l.EndsWith("|   giving up", StringComparison.Ordinal));
        Assert.Equal("dapr-local: every app has exited; 'flaky' exited with code 4", Assert.Single(runner.Stderr));
        await RunTrees.AssertGoneAsync(tree, runner);
        Assert.True(FreePort.IsFree(port), "python3, left behind by flaky's sh, still holds its port");

        File.Delete(Path.Combine(client, "go"));
        File.Delete(Path.Combine(flaky, "go"));
        await _runs.AssertStartsAgainAsync(apps: 2);
    }

    [Fact]
    public async Task PortHeldByAnotherProcess_IsNamedWithTheSettingAndTheHoldersPidAndCommand()
    {
        _runs.Folder.Folder("web");
        var port = FreePort.Next();
        var path = _runs.Folder.WriteRunFile($"""
            version: 1
            apps:
              - appID: web
                appDirPath: ./web
                appPort: {port}
                command: {RunTrees.Server(port)}
            """);
        using var occupant = Process.Start(new ProcessStartInfo("python3", ["-m", "http.server", $"{port}", "--bind", "127.0.0.1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            Assert.True(await WaitUntilListeningAsync(port), "the occupying python3 did not listen");

            await using (var runner = DaprLocal.Start(_runs.Folder.Path, "run", "-f", "."))
            {
                Assert.Equal(1, await runner.WaitForExitAsync(RunTrees.Timeout));
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

        await _runs.AssertStartsAgainAsync(apps: 1);
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
        await using var sidecar = DaprLocal.StartInOwnGroup(_runs.Folder.Path, args);
        var tree = await RunTrees.RunningTreeAsync(sidecar, apps: 1);
        Assert.True(await PortCheck.IsListeningAsync(httpPort, CancellationToken.None));

        Processes.Signal(sidecar.Pid, Processes.SigKill);

        await sidecar.WaitForExitAsync(RunTrees.Timeout);
        await RunTrees.AssertGoneAsync(tree, sidecar);
        Assert.True(FreePort.IsFree(appPort) && FreePort.IsFree(httpPort), "a port of the killed sidecar or its app is still held");

        await using var again = DaprLocal.Start(_runs.Folder.Path, args);
        var second = await RunTrees.RunningTreeAsync(again, apps: 1);
        Processes.Signal(again.Pid, Processes.SigTerm);
        Assert.Equal(0, await again.WaitForExitAsync(RunTrees.Timeout));
        await RunTrees.AssertGoneAsync(second, again);
    }

    [Fact]
    public async Task SingleSidecar_WithAnAppCommand_ExitsWithTheAppsExitCode()
    {
        await using var sidecar = DaprLocal.Start(
            _runs.Folder.Path, "--app-id", "job", "--dapr-http-port", $"{FreePort.Next()}", "--dapr-grpc-port", $"{FreePort.Next()}",
            "--", "sh", "-c", "echo working; exit 6");

        Assert.Equal(6, await sidecar.WaitForExitAsync(RunTrees.Timeout));
        Assert.Contains(sidecar.Stdout, l => l.EndsWith("| working", StringComparison.Ordinal));
        Assert.Equal("dapr-local: every app has exited; 'job' exited with code 6", Assert.Single(sidecar.Stderr));
    }

    private static string HolderPid(string error)
    {
        var afterPid = error.Split(" by pid ")[1];
        return afterPid[..afterPid.IndexOf(':', StringComparison.Ordinal)];
    }

    private static async Task<bool> WaitUntilListeningAsync(int port)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < RunTrees.Timeout)
        {
            if (await PortCheck.IsListeningAsync(port, CancellationToken.None))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    public void Dispose() => _runs.Dispose();
}

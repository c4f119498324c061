using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests.Runner;

/// <summary>
/// The built dapr-local as a real process with real child apps (python3's http.server), checking what a person sees:
/// exit codes, the one-line error, and that nothing is left running.
/// </summary>
public sealed class MultiAppRunnerProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempRunFolder _folder = new();

    private static string HttpServer(int port) =>
        $"""["sh", "-c", "python3 -m http.server {port} --bind 127.0.0.1 & wait"]""";

    [Fact]
    public async Task Run_WhenAPortIsTaken_ExitsNonZeroNamingThePort_AndStartsNothing()
    {
        _folder.Folder("web");
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var taken = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port;
        var path = _folder.WriteRunFile($"""
            version: 1
            apps:
              - appID: web
                appDirPath: ./web
                appPort: {taken}
                command: {HttpServer(taken)}
            """);

        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", ".");
        var exitCode = await runner.WaitForExitAsync(Timeout);

        Assert.Equal(1, exitCode);
        Assert.StartsWith(
            $"dapr-local: port {taken} (appPort of app 'web', {path}:3) is already in use by pid {Environment.ProcessId}: ",
            Assert.Single(runner.Stderr), StringComparison.Ordinal);
        Assert.DoesNotContain(runner.Stdout, line => line.Contains("started app", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_WhenRunFileIsMalformed_ExitsNonZeroNamingFileAndLine()
    {
        var path = _folder.WriteRunFile("""
            version: 1
            apps:
              - appDirPath: ./web
                appPortt: 5000
            """);

        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", path);
        var exitCode = await runner.WaitForExitAsync(Timeout);

        Assert.Equal(1, exitCode);
        Assert.Equal($"dapr-local: {path}:4: unknown key 'appPortt'", Assert.Single(runner.Stderr));
    }

    [Fact]
    public async Task Run_WhenItsOnlyAppExitsEarly_ExitsWithTheAppsCodeNamingTheApp()
    {
        _folder.Folder("quitter");
        _folder.WriteRunFile($"""
            version: 1
            apps:
              - appID: quitter
                appDirPath: ./quitter
                appPort: {FreePort.Next()}
                command: ["python3", "-c", "import sys; print('bye'); sys.exit(3)"]
            """);

        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", _folder.RunFilePath);
        var exitCode = await runner.WaitForExitAsync(Timeout);

        Assert.Equal(3, exitCode);
        Assert.Equal("dapr-local: every app has exited; 'quitter' exited with code 3", Assert.Single(runner.Stderr));
        Assert.Contains(runner.Stdout, line => line.StartsWith("quitter", StringComparison.Ordinal) && line.EndsWith("| bye", StringComparison.Ordinal));
        Assert.Contains(runner.Stdout, line => line.EndsWith("| app 'quitter' exited with code 3; the other apps keep running", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_WhenAppNeverListens_ExitsNonZeroAfterTheTimeoutNamingAppAndPort()
    {
        _folder.Folder("mute");
        var port = FreePort.Next();
        _folder.WriteRunFile($"""
            version: 1
            apps:
              - appID: mute
                appDirPath: ./mute
                appPort: {port}
                command: ["sleep", "60"]
            """);

        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", ".", "--app-start-timeout", "1");
        var started = await runner.WaitForLineAsync("started app 'mute'", Timeout);
        var appPid = int.Parse(started.Split("(pid ")[1].Split(')')[0], System.Globalization.CultureInfo.InvariantCulture);
        var exitCode = await runner.WaitForExitAsync(Timeout);

        Assert.Equal(1, exitCode);
        Assert.Equal($"dapr-local: app 'mute' did not listen on port {port} within 1 s", Assert.Single(runner.Stderr));
        Assert.False(Processes.IsAlive(appPid));
    }

    [Theory]
    [InlineData(Processes.SigInt)]
    [InlineData(Processes.SigTerm)]
    public async Task Run_WhenSignalled_StopsEveryAppProcessTreeAndExitsZero(int signal)
    {
        _folder.Folder("one");
        _folder.Folder("two");
        var (portOne, portTwo) = (FreePort.Next(), FreePort.Next());
        _folder.WriteRunFile($"""
            version: 1
            apps:
              - appID: one
                appDirPath: ./one
                appPort: {portOne}
                command: {HttpServer(portOne)}
              - appID: two
                appDirPath: ./two
                appPort: {portTwo}
                command: {HttpServer(portTwo)}
            """);

        await using var runner = DaprLocal.Start(_folder.Path, "run", "-f", ".");
        await runner.WaitForLineAsync("all 2 app(s) are running", Timeout);
        var appPids = runner.Stdout
            .Where(line => line.Contains("started app", StringComparison.Ordinal))
            .Select(line => int.Parse(line.Split("(pid ")[1].Split(')')[0], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        var tree = appPids.SelectMany(Processes.TreeOf).ToList();
        Assert.Equal(2, appPids.Count);
        Assert.True(tree.Count >= 4, $"expected sh and python under each app, found {tree.Count} processes");

        Processes.Signal(runner.Pid, signal);
        var exitCode = await runner.WaitForExitAsync(Timeout);

        Assert.Equal(0, exitCode);
        Assert.Empty(runner.Stderr);
        Assert.DoesNotContain(tree, Processes.IsAlive);
    }

    [Fact]
    public async Task Run_WhenAppIgnoresSigterm_KillsItAfterTheGracePeriod()
    {
        var (runner, tree) = await StartStubbornAppAsync();
        await using var _ = runner;
        var stopping = System.Diagnostics.Stopwatch.StartNew();

        Processes.Signal(runner.Pid, Processes.SigInt);
        var exitCode = await runner.WaitForExitAsync(Timeout);

        Assert.Equal(0, exitCode);
        Assert.DoesNotContain(tree, Processes.IsAlive);
        Assert.True(stopping.Elapsed >= TimeSpan.FromSeconds(4), $"stopped after {stopping.Elapsed}: the grace period was skipped");
    }

    /// <summary>An app whose processes all ignore SIGTERM (an ignored signal stays ignored across exec).</summary>
    private async Task<(DaprLocal Runner, IReadOnlyList<int> Tree)> StartStubbornAppAsync()
    {
        _folder.Folder("stubborn");
        var port = FreePort.Next();
        _folder.WriteRunFile($"""
            version: 1
            apps:
              - appID: stubborn
                appDirPath: ./stubborn
                appPort: {port}
                command: ["sh", "-c", "trap '' TERM; python3 -m http.server {port} --bind 127.0.0.1 & wait"]
            """);

        var runner = DaprLocal.Start(_folder.Path, "run", "-f", ".");
        var started = await runner.WaitForLineAsync("started app 'stubborn'", Timeout);
        await runner.WaitForLineAsync("all 1 app(s) are running", Timeout);
        var appPid = int.Parse(started.Split("(pid ")[1].Split(')')[0], System.Globalization.CultureInfo.InvariantCulture);
        var tree = Processes.TreeOf(appPid);
        Assert.True(tree.Count >= 2, $"expected sh and python, found {tree.Count} processes");
        return (runner, tree);
    }

    [Fact]
    public async Task Cli_WhenDoubleDashHasNoCommand_ExitsTwoWithOneLine()
    {
        await using var sidecar = DaprLocal.Start(_folder.Path, "--app-id", "x", "--");
        var exitCode = await sidecar.WaitForExitAsync(Timeout);

        Assert.Equal(2, exitCode);
        Assert.Equal("dapr-local: -- must be followed by the app's command", Assert.Single(sidecar.Stderr));
    }

    [Fact]
    public async Task Cli_WhenFlagIsUnknown_ExitsTwoWithOneLineNamingIt()
    {
        await using var runner = DaprLocal.Start(_folder.Path, "--app-id", "x", "--no-such-flag");
        var exitCode = await runner.WaitForExitAsync(Timeout);

        Assert.Equal(2, exitCode);
        Assert.Equal("dapr-local: unknown flag --no-such-flag (see --help)", Assert.Single(runner.Stderr));
    }

    public void Dispose() => _folder.Dispose();
}

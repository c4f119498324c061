using System.Diagnostics;
using System.Globalization;
using Sidecar.Hosting;
using Sidecar.Runner.Dashboard;

namespace Sidecar.Runner;

/// <summary>
/// <c>run -f dapr.yaml</c>: checks the whole run first, builds the apps' <c>dotnet run</c> projects once, starts one
/// in-process sidecar per app (all on one <see cref="SidecarNetwork"/>) and each app's command under a
/// <see cref="ProcessSupervisor"/>, and runs until stopped or until every app has exited. Whatever happens, every
/// process it started is stopped before it returns, and none outlives it even when it is killed.
/// </summary>
internal sealed partial class MultiAppRunner : IAsyncDisposable
{
    private const string RunnerName = "runner";
    private const string BuildName = "build";
    // No longer than "runner", so the dashboard's lines do not widen every prefix.
    private const string DashboardName = "aspire";

    private RunPlan _plan;
    private readonly RunnerSettings _settings;
    private readonly OutputPrefixer _output;
    private readonly CancellationToken _hurry;
    private readonly SidecarNetwork _network = new();
    private readonly ProcessSupervisor _supervisor;
    private readonly List<(AppPlan App, SidecarHost Host)> _sidecars = [];
    private readonly List<RunningApp> _apps = [];
    private readonly List<LogDestination> _logs = [];
    private RunTelemetry? _telemetry;

    private MultiAppRunner(RunPlan plan, RunnerSettings settings, OutputPrefixer output, CancellationToken hurry)
    {
        _plan = plan;
        _settings = settings;
        _output = output;
        _hurry = hurry;
        _supervisor = new ProcessSupervisor { GracePeriod = settings.GracePeriod };
    }

    /// <summary>
    /// Runs until <paramref name="stop"/> fires (0), a sidecar is shut down through its API (0), or every app has exited
    /// (the worst exit code). Fails with <see cref="RunnerException"/> / <see cref="RunFileException"/> when the run
    /// cannot start, after everything is stopped. <paramref name="hurry"/> cuts the apps' grace period short.
    /// </summary>
    public static async Task<int> RunAsync(RunnerSettings settings, CancellationToken stop, CancellationToken hurry)
    {
        var file = RunFileLoader.Load(settings.RunFilePath);
        var plan = RunPlan.Create(file, settings.Embedded, settings.DataDirectory, Environment.GetEnvironmentVariable, PortCheck.FreePort);
        if (settings.ResourcesPaths.Count > 0)
        {
            plan = plan with { Apps = [.. plan.Apps.Select(a => a with { ResourcesPaths = settings.ResourcesPaths })] };
        }

        return await RunAsync(plan, settings, stop, hurry);
    }

    /// <summary>Runs <paramref name="plan"/> (from a run file, or one app from the command line) as above.</summary>
    public static async Task<int> RunAsync(RunPlan plan, RunnerSettings settings, CancellationToken stop, CancellationToken hurry)
    {
        PortCheck.EnsureFree(plan);

        var output = OutputPrefixer.ForConsole(
            plan.Apps.Select(a => a.AppId).Append(RunnerName).Append(BuildName).Append(DashboardName));
        await using var runner = new MultiAppRunner(plan, settings, output, hurry);
        return await runner.RunAsync(stop);
    }

    private void Say(string message) => _output.WriteLine(RunnerName, message);

    private async Task<int> RunAsync(CancellationToken stop)
    {
        foreach (var notice in _plan.Notices)
        {
            Say(notice);
        }

        Say($"{_plan.Origin}: {_plan.Apps.Count} app(s), data in {_plan.DataDirectory}{(_plan.Embedded ? ", embedded components" : "")}");
        if (_settings.ResourcesPaths.Count > 0)
        {
            Say($"resources of every app from {string.Join(", ", _settings.ResourcesPaths)} (--resources-path), not the run file's");
        }

        int exitCode;
        IReadOnlyList<SupervisedProcess> left;
        try
        {
            exitCode = await RunUntilEndAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            exitCode = 0;
        }
        finally
        {
            left = await StopProcessesAsync();
        }

        if (left.Count > 0)
        {
            throw new RunnerException(
                $"could not stop {string.Join(", ", left.Select(p => $"'{p.Name}' (process group {p.GroupId ?? p.Pid})"))}");
        }

        return exitCode;
    }

    private async Task<int> RunUntilEndAsync(CancellationToken stop)
    {
        // Started first (one more supervised process) and stopped last, after the sidecars' last flush.
        _telemetry = await RunTelemetry.StartAsync(_supervisor, DashboardName, _settings.Dashboard,
            Environment.GetEnvironmentVariable, Say, _output.Sink(DashboardName), stop);
        _plan = _plan with { Apps = [.. _plan.Apps.Select(_telemetry.Apply)] };

        // The build is a process of its own: the sidecars start in this one meanwhile.
        var building = BuildAsync(stop);
        foreach (var app in _plan.Apps)
        {
            await StartSidecarAsync(app, stop);
        }

        var commands = await building;
        foreach (var app in _plan.Apps.Where(a => a.Command.Count > 0))
        {
            StartApp(app, commands.GetValueOrDefault(app.AppId, app.Command));
        }

        await WaitUntilStartedAsync(stop);
        return await WaitForEndAsync(stop);
    }

    private async Task StartSidecarAsync(AppPlan app, CancellationToken stop)
    {
        var appPort = app.AppPort is { } port ? $", app port {port}" : ", no app port";
        Say($"starting sidecar for '{app.AppId}': HTTP {app.HttpPort}, gRPC {app.GrpcPort}{appPort}");
        var log = Destination(app, app.DaprdLogDestination, "daprd");
        var level = LineLoggerProvider.FromDaprLevel(app.LogLevel);
        try
        {
            var host = await SidecarHost.StartAsync(
                app.ToSidecarOptions(_plan.Embedded, _plan.DataDirectory, _settings.NameRegistryFile),
                _network,
                logging => LineLoggerProvider.Configure(logging, log.WriteLine, level),
                stop);
            _sidecars.Add((app, host));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new RunnerException($"app '{app.AppId}': sidecar failed to start: {OneLine(e.Message)}");
        }
    }

    private void StartApp(AppPlan app, IReadOnlyList<string> command)
    {
        var log = Destination(app, app.AppLogDestination, "app");
        var launch = new ProcessLaunch(app.AppId, command, app.AppDirPath) { Environment = app.ProcessEnvironment() };
        var process = _supervisor.Start(launch, log.WriteLine);
        Say($"started app '{app.AppId}' (pid {process.Pid}): {string.Join(' ', command)} in {app.AppDirPath}");
        _apps.Add(new RunningApp(app, process, ReportExitAsync(app, process)));
    }

    private LogDestination Destination(AppPlan app, string destination, string kind)
    {
        var log = new LogDestination(destination, _output.Sink(app.AppId), app.AppDirPath, app.AppId, kind);
        _logs.Add(log);
        if (log.FilePath is not null)
        {
            Say($"'{app.AppId}' {kind} log: {log.FilePath}");
        }

        return log;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>Stops every process (apps first: they may still call their sidecars while shutting down); returns those left.</summary>
    private async Task<IReadOnlyList<SupervisedProcess>> StopProcessesAsync()
    {
        _stopping = true;
        if (_apps.Any(a => a.Process.IsRunning))
        {
            Say($"stopping: apps get {_supervisor.GracePeriod.TotalSeconds:0} s to exit after SIGTERM; signal again to kill them now");
        }

        var left = await _supervisor.StopAllAsync(_hurry, except: _telemetry?.Dashboard?.Process);

        // Exit reports finish once their app is gone; none may be cut off mid-line by the end of the run (bounded: an
        // app that could not be stopped never reports).
        await Task.WhenAny(Task.WhenAll(_apps.Select(a => a.Reported)), Task.Delay(TimeSpan.FromSeconds(5)));
        return left;
    }

    /// <summary>Stops the sidecars (every other process is already stopped), then the dashboard, then the watchdog.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (app, host) in Enumerable.Reverse(_sidecars))
        {
            try
            {
                await host.DisposeAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Say($"sidecar of '{app.AppId}' failed to stop cleanly: {OneLine(e.Message)}");
            }
        }

        await _network.DisposeAsync();
        if (_telemetry is not null)
        {
            await _telemetry.DisposeAsync();
        }

        _supervisor.Dispose();
        foreach (var log in _logs)
        {
            log.Dispose();
        }
    }

    /// <summary>An app's process, and its exit report (completes with the exit code once reported).</summary>
    private sealed record RunningApp(AppPlan App, SupervisedProcess Process, Task<int> Reported);

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}

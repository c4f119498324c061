using System.Globalization;
using Sidecar.Hosting;
using Sidecar.Runner.Dashboard;

namespace Sidecar.Runner;

/// <summary>
/// <c>run -f dapr.yaml</c>: checks the whole run first, then starts one in-process sidecar per app (all on one
/// <see cref="SidecarNetwork"/>) and each app's command, waits for every app port, and runs until stopped. Whatever
/// happens, everything it started is stopped before it returns.
/// </summary>
internal sealed class MultiAppRunner : IAsyncDisposable
{
    private const string RunnerName = "runner";
    // No longer than "runner", so the dashboard's lines do not widen every prefix.
    private const string DashboardName = "aspire";

    private readonly RunPlan _plan;
    private readonly RunnerSettings _settings;
    private readonly OutputPrefixer _output;
    private readonly SidecarNetwork _network = new();
    private readonly List<(AppPlan App, SidecarHost Host)> _sidecars = [];
    private readonly List<(AppPlan App, AppProcess Process)> _processes = [];
    private readonly List<LogDestination> _logs = [];

    private MultiAppRunner(RunPlan plan, RunnerSettings settings, OutputPrefixer output)
    {
        _plan = plan;
        _settings = settings;
        _output = output;
    }

    /// <summary>
    /// Runs until <paramref name="stop"/> fires (0), a sidecar is shut down through its API (0), or something fails
    /// (<see cref="RunnerException"/> / <see cref="RunFileException"/>, after everything is stopped).
    /// </summary>
    public static async Task<int> RunAsync(RunnerSettings settings, CancellationToken stop)
    {
        var file = RunFileLoader.Load(settings.RunFilePath);
        var plan = RunPlan.Create(file, settings.Embedded, settings.DataDirectory, Environment.GetEnvironmentVariable, PortCheck.FreePort);
        PortCheck.EnsureFree(plan);

        var output = OutputPrefixer.ForConsole(plan.Apps.Select(a => a.AppId).Append(RunnerName).Append(DashboardName));
        // Started first and disposed last, so it sees the run from the first span to the apps' last flush.
        await using var telemetry = await RunTelemetry.StartAsync(settings.Dashboard, Environment.GetEnvironmentVariable,
            line => output.WriteLine(RunnerName, line), output.Sink(DashboardName), stop);
        plan = plan with { Apps = [.. plan.Apps.Select(telemetry.Apply)] };
        await using var runner = new MultiAppRunner(plan, settings, output);
        return await runner.RunAsync(stop);
    }

    private void Say(string message) => _output.WriteLine(RunnerName, message);

    private async Task<int> RunAsync(CancellationToken stop)
    {
        foreach (var notice in _plan.Notices)
        {
            Say(notice);
        }

        Say($"run file {_plan.RunFilePath}: {_plan.Apps.Count} app(s), data in {_plan.DataDirectory}{(_plan.Embedded ? ", embedded components" : "")}");
        try
        {
            foreach (var app in _plan.Apps)
            {
                await StartSidecarAsync(app, stop);
            }

            foreach (var app in _plan.Apps.Where(a => a.Command.Count > 0))
            {
                StartApp(app);
            }

            await WaitForAppPortsAsync(stop);
            Say($"all {_plan.Apps.Count} app(s) are running; press Ctrl+C to stop");
            return await WaitForEndAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
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
                app.ToSidecarOptions(_plan.Embedded, _plan.DataDirectory),
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

    private void StartApp(AppPlan app)
    {
        var log = Destination(app, app.AppLogDestination, "app");
        var process = AppProcess.Start(app, log.WriteLine);
        _processes.Add((app, process));
        Say($"started app '{app.AppId}' (pid {process.Pid}): {string.Join(' ', app.Command)} in {app.AppDirPath}");
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

    /// <summary>Waits for every app port; the first app that fails ends the wait at once (no waiting on slower apps).</summary>
    private async Task WaitForAppPortsAsync(CancellationToken stop)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var pending = _processes.Select(p => WaitForAppPortAsync(p.App, p.Process, abandon.Token)).ToList();
        try
        {
            while (pending.Count > 0)
            {
                var done = await Task.WhenAny(pending);
                pending.Remove(done);
                await done;
            }
        }
        finally
        {
            await abandon.CancelAsync();
        }
    }

    private async Task WaitForAppPortAsync(AppPlan app, AppProcess process, CancellationToken stop)
    {
        if (app.AppPort is not { } port)
        {
            return;
        }

        var deadline = DateTime.UtcNow + _settings.AppStartTimeout;
        while (!await PortCheck.IsListeningAsync(port, stop))
        {
            if (process.Exited.IsCompleted)
            {
                throw new RunnerException(
                    $"app '{app.AppId}' exited with code {await process.Exited} before listening on port {port}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new RunnerException(
                    $"app '{app.AppId}' did not listen on port {port} within {_settings.AppStartTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(200, stop);
        }

        Say($"app '{app.AppId}' is listening on port {port.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Runs until Ctrl+C, an app exits (an error: apps are servers), or a sidecar is told to shut down.</summary>
    private async Task<int> WaitForEndAsync(CancellationToken stop)
    {
        var stopped = WhenCancelled(stop);
        var exits = _processes.Select(p => p.Process.Exited).ToList();
        var shutdowns = _sidecars.Select(s => WhenCancelled(s.Host.Stopping)).ToList();
        var first = await Task.WhenAny([stopped, .. exits, .. shutdowns]);
        if (first == stopped)
        {
            return 0;
        }

        var exited = _processes.FirstOrDefault(p => p.Process.Exited == first);
        if (exited.Process is not null)
        {
            throw new RunnerException($"app '{exited.App.AppId}' exited with code {await exited.Process.Exited}");
        }

        var shutdown = _sidecars[shutdowns.IndexOf(first)];
        Say($"sidecar of '{shutdown.App.AppId}' was asked to shut down; stopping the run");
        return 0;
    }

    private static Task WhenCancelled(CancellationToken token)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => completion.TrySetResult());
        return completion.Task;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>Stops the apps first (they may still call their sidecars while shutting down), then the sidecars.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_processes.Count > 0 || _sidecars.Count > 0)
        {
            Say("stopping");
        }

        await Task.WhenAll(_processes.Select(p => p.Process.DisposeAsync().AsTask()));
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
        foreach (var log in _logs)
        {
            log.Dispose();
        }
    }
}

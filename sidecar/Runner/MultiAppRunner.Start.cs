using System.Diagnostics;
using Sidecar.Hosting;

namespace Sidecar.Runner;

internal sealed partial class MultiAppRunner
{
    /// <summary>
    /// Waits until every app listens on its port (or has exited: that is reported, and the others go on) and every
    /// sidecar of a running app is healthy. An app that neither listens nor exits within the start timeout fails the run.
    /// </summary>
    private async Task WaitUntilStartedAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        using (var abandon = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            var pending = _apps.Select(a => WaitForAppPortAsync(a, abandon.Token)).ToList();
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

        foreach (var (app, host) in _sidecars)
        {
            var process = _apps.FirstOrDefault(a => a.App == app)?.Process;
            await WaitUntilHealthyAsync(app, host, process, _settings.AppStartTimeout - clock.Elapsed, stop);
        }

        var running = _plan.Apps.Count - _apps.Count(a => a.Process.Exited.IsCompleted);
        if (running > 0)
        {
            var which = running == _plan.Apps.Count ? $"all {running}" : $"{running} of {_plan.Apps.Count}";
            Say($"{which} app(s) are running and their sidecars are healthy, {StartClock.Describe()}; press Ctrl+C to stop");
        }
    }

    private async Task WaitForAppPortAsync(RunningApp running, CancellationToken stop)
    {
        if (running.App.AppPort is not { } port)
        {
            return;
        }

        var deadline = Stopwatch.StartNew();
        while (!await PortCheck.IsListeningAsync(port, stop))
        {
            if (running.Process.Exited.IsCompleted)
            {
                return;
            }

            if (deadline.Elapsed > _settings.AppStartTimeout)
            {
                throw new RunnerException(
                    $"app '{running.App.AppId}' did not listen on port {port} within {_settings.AppStartTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(100, stop);
        }

        Say($"app '{running.App.AppId}' is listening on port {port}");
    }

    /// <summary>Waits for <c>/v1.0/healthz</c> to be ready (the app channel is up); skipped when the app has exited.</summary>
    private static async Task WaitUntilHealthyAsync(
        AppPlan app, SidecarHost host, SupervisedProcess? process, TimeSpan limit, CancellationToken stop)
    {
        var readiness = host.Services.GetRequiredService<SidecarReadiness>();
        var clock = Stopwatch.StartNew();
        while (!readiness.IsReady)
        {
            if (process is { Exited.IsCompleted: true })
            {
                return;
            }

            if (clock.Elapsed > limit)
            {
                throw new RunnerException($"the sidecar of '{app.AppId}' did not become healthy within the start timeout");
            }

            await Task.Delay(50, stop);
        }
    }
}

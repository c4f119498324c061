namespace Sidecar.Runner;

internal sealed partial class MultiAppRunner
{
    /// <summary>How many of an app's last lines its exit report repeats.</summary>
    private const int ReportedLines = 10;

    /// <summary>How long an exit report waits for the app's last lines (a grandchild may hold its output open).</summary>
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(1);

    private volatile bool _stopping;

    /// <summary>
    /// Says at once that an app exited, with its exit code and last lines, and stops whatever it left behind in its
    /// process group. The other apps go on: a console client that finishes must not take the services down with it.
    /// </summary>
    private async Task<int> ReportExitAsync(AppPlan app, SupervisedProcess process)
    {
        var exitCode = await process.Exited;
        await Task.WhenAny(process.OutputEnded, Task.Delay(OutputDrainLimit));
        if (!_stopping)
        {
            Say($"app '{app.AppId}' exited with code {exitCode}; the other apps keep running");
            var lines = process.RecentOutput.TakeLast(ReportedLines).ToList();
            Say(lines.Count == 0
                ? $"app '{app.AppId}' wrote nothing"
                : $"last lines of '{app.AppId}':\n{string.Join('\n', lines.Select(l => $"  {l}"))}");
        }

        await _supervisor.StopAsync(process, _hurry);
        return exitCode;
    }

    /// <summary>
    /// Runs until Ctrl+C or SIGTERM (0), a sidecar is told to shut down (0), or every app has exited: then the run ends
    /// with the worst exit code of its apps.
    /// </summary>
    private async Task<int> WaitForEndAsync(CancellationToken stop)
    {
        var stopped = WhenCancelled(stop);
        var allExited = _apps.Count > 0 ? Task.WhenAll(_apps.Select(a => a.Reported)) : Task.Delay(Timeout.Infinite, stop);
        var shutdowns = _sidecars.Select(s => WhenCancelled(s.Host.Stopping)).ToList();
        var first = await Task.WhenAny([stopped, allExited, .. shutdowns]);
        _stopping = true;
        if (first == stopped)
        {
            return 0;
        }

        if (first == allExited)
        {
            var worst = _apps.MaxBy(a => a.Reported.Result)!;
            var exitCode = worst.Reported.Result;
            Say($"every app has exited (worst exit code {exitCode}, '{worst.App.AppId}'); stopping the sidecars");
            if (exitCode != 0)
            {
                await Console.Error.WriteLineAsync($"dapr-local: every app has exited; '{worst.App.AppId}' exited with code {exitCode}");
            }

            return exitCode;
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
}

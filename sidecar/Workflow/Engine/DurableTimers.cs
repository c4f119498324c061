namespace Sidecar.Workflow.Engine;

/// <summary>
/// Runs callbacks at wall-clock instants through <see cref="TimeProvider"/>. Waits are capped (long timers re-check the
/// clock), and instants at or after <see cref="HistoryEvents.NeverFires"/> are never armed. Timers are in memory only:
/// the engine re-arms them from history when it loads.
/// </summary>
internal sealed partial class DurableTimers(TimeProvider time, ILogger<DurableTimers> logger) : IDisposable
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);
    private readonly CancellationTokenSource _stopping = new();

    public void Schedule(DateTimeOffset fireAt, Func<Task> onFire)
    {
        if (fireAt >= HistoryEvents.NeverFires)
        {
            return;
        }

        _ = RunAsync(fireAt, onFire, _stopping.Token);
    }

    private async Task RunAsync(DateTimeOffset fireAt, Func<Task> onFire, CancellationToken cancellationToken)
    {
        try
        {
            while (fireAt - time.GetUtcNow() is var due && due > TimeSpan.Zero)
            {
                await Task.Delay(due < MaxWait ? due : MaxWait, time, cancellationToken);
            }

            await onFire();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The sidecar is stopping; the next start re-arms the timer from history.
        }
        catch (Exception ex)
        {
            LogTimerFailed(ex);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A workflow timer callback failed")]
    private partial void LogTimerFailed(Exception ex);
}

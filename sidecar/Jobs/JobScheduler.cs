using Microsoft.Data.Sqlite;
using Sidecar.Hosting;

namespace Sidecar.Jobs;

/// <summary>
/// Fires this app's due jobs from the <see cref="JobStore"/>: claims them, delivers each to the app (at least once:
/// a job moves on only after the app answered), retries failures by the job's failure policy, then moves the job to
/// its next trigger or deletes it after its last. It sleeps until the next job is due, a job is scheduled here, or at
/// most <see cref="IdlePoll"/> (jobs scheduled by another process on the same state file). A sidecar without an app
/// port fires nothing: the jobs wait in the store.
/// </summary>
internal sealed partial class JobScheduler(
    JobStore store, JobAppDelivery delivery, SidecarOptions options, TimeProvider time, ILogger<JobScheduler> logger) : BackgroundService
{
    /// <summary>How long a claim holds a job; a sidecar that dies mid-delivery leaves it to others after this.</summary>
    internal static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);
    private const int ClaimBatch = 32;

    private readonly Lock _gate = new();
    private readonly HashSet<Task> _inFlight = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Looks at the store now (a job was scheduled).</summary>
    public void Wake()
    {
        lock (_gate)
        {
            _wake.TrySetResult();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!delivery.CanDeliver)
        {
            return;
        }

        try
        {
            await delivery.WaitForAppAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                Task woken;
                lock (_gate)
                {
                    woken = _wake.Task;
                }

                var delay = await FireDueAsync(stoppingToken);
                await Task.WhenAny(woken, Task.Delay(delay, time, stoppingToken));
                lock (_gate)
                {
                    if (_wake.Task.IsCompleted)
                    {
                        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        Task[] pending;
        lock (_gate)
        {
            pending = [.. _inFlight];
        }

        await Task.WhenAll(pending);
    }

    /// <summary>Starts the delivery of every due job; returns how long to sleep.</summary>
    private async Task<TimeSpan> FireDueAsync(CancellationToken stoppingToken)
    {
        if (!store.Exists)
        {
            return IdlePoll;
        }

        var now = time.GetUtcNow();
        try
        {
            var claimed = await store.ClaimDueAsync(options.AppId, now, Lease, ClaimBatch, stoppingToken);
            foreach (var record in claimed)
            {
                Track(Task.Run(() => FireAsync(record, stoppingToken), CancellationToken.None));
            }

            if (claimed.Count == ClaimBatch)
            {
                return TimeSpan.Zero;
            }

            var next = await store.NextWakeAsync(options.AppId, stoppingToken);
            var wait = next is { } at ? at - time.GetUtcNow() : IdlePoll;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > IdlePoll ? IdlePoll : wait;
        }
        catch (SqliteException ex)
        {
            LogStoreFailed(logger, ex.Message);
            return IdlePoll;
        }
    }

    private async Task FireAsync(JobRecord record, CancellationToken stoppingToken)
    {
        var name = record.Job.Name;
        try
        {
            var plan = JobPlan.From(record.Job, record.Created);
            if (plan.ExpiredAt(record.Due))
            {
                await store.ReleaseAsync(options.AppId, record, null, record.Count, 0, CancellationToken.None);
                return;
            }

            JobDeliveryOutcome outcome;
            try
            {
                outcome = await delivery.DeliverAsync(name, record.Job.Data, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: hand the trigger back unchanged, so the next sidecar on this state file fires it at once.
                await store.ReleaseAsync(options.AppId, record, record.Due, record.Count, record.Attempts, CancellationToken.None);
                return;
            }

            var now = time.GetUtcNow();
            if (outcome == JobDeliveryOutcome.Failed)
            {
                var attempts = record.Attempts + 1;
                if (plan.RetryInterval is { } interval && (plan.MaxRetries is not { } max || attempts <= max))
                {
                    LogRetry(logger, name, attempts, interval);
                    await store.ReleaseAsync(options.AppId, record, now + interval, record.Count, attempts, CancellationToken.None);
                    return;
                }

                LogGaveUp(logger, name, record.Attempts);
            }
            else if (outcome == JobDeliveryOutcome.NotFound)
            {
                LogNotFound(logger, name);
            }

            var count = record.Count + 1;
            await store.ReleaseAsync(options.AppId, record, plan.After(record.Due, count, now), count, 0, CancellationToken.None);
        }
        catch (SqliteException ex)
        {
            LogStoreFailed(logger, ex.Message);
        }
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _inFlight.Add(task);
        }

        task.ContinueWith(t =>
        {
            lock (_gate)
            {
                _inFlight.Remove(t);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "job {Name}: delivery failed (attempt {Attempt}), retrying in {Interval}")]
    private static partial void LogRetry(ILogger logger, string name, uint attempt, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Error, Message = "job {Name}: delivery failed after {Retries} retries; this trigger is dropped")]
    private static partial void LogGaveUp(ILogger logger, string name, uint retries);

    [LoggerMessage(Level = LogLevel.Error, Message = "job {Name}: the app answered 404; the trigger counts as done and is not retried, as in daprd")]
    private static partial void LogNotFound(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "jobs: the state file could not be read or written: {Problem}")]
    private static partial void LogStoreFailed(ILogger logger, string problem);
}

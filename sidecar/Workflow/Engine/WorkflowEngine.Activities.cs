using Dapr.DurableTask.Protobuf;
using Sidecar.Observability;

namespace Sidecar.Workflow.Engine;

/// <summary>
/// Activities: dispatch a scheduled task to a worker, record its result once. An activity addressed to another app
/// (its <c>TaskScheduled</c> event carries a router naming that app) runs on that app's worker: its sidecar queues it
/// for its own workers and hands the result back here, where it is recorded as any other.
/// </summary>
internal sealed partial class WorkflowEngine
{
    // Activities other apps' workflows sent here, by the token this sidecar's workers complete them with.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PeerActivity> _peerActivities = new(StringComparer.Ordinal);

    /// <summary>Queues the activity of a <c>TaskScheduled</c> event. Its token names the generation and task it belongs to.</summary>
    private void DispatchActivity(InstanceState instance, HistoryEvent scheduled)
    {
        var executionId = instance.ExecutionId;
        var task = scheduled.TaskScheduled;
        var request = new ActivityRequest
        {
            Name = task.Name,
            Version = task.Version,
            Input = task.Input,
            WorkflowInstance = new WorkflowInstance { InstanceId = instance.InstanceId, ExecutionId = executionId },
            TaskId = scheduled.EventId,
            TaskExecutionId = task.TaskExecutionId,
        };
        var token = $"a|{executionId}|{scheduled.EventId}";
        var workflowTrace = WorkflowTelemetry.RunTraceContext(instance.History.Concat(instance.Inbox)
            .FirstOrDefault(h => h.ExecutionStarted is not null)?.ExecutionStarted);
        request.ParentTraceContext = _telemetry is null ? workflowTrace
            : _telemetry.ActivityDispatched(token, instance.InstanceId, scheduled.EventId, task.Name, workflowTrace);
        bool IsLive() => !instance.IsTerminal && instance.ExecutionId == executionId;
        if (_peers?.OtherApp(scheduled.Router) is { } targetApp)
        {
            _ = SendToPeerAsync(instance.InstanceId, targetApp, request, token, IsLive);
            return;
        }

        _dispatcher.Enqueue(new WorkItem { ActivityRequest = request, CompletionToken = token }, IsLive);
    }

    /// <summary>
    /// Hands an activity to <paramref name="targetApp"/>'s sidecar; its result comes back through
    /// <see cref="CompleteActivityTaskAsync"/> under this sidecar's <paramref name="token"/>. While the app cannot be
    /// reached, tries again after a pause, as long as the instance still wants the result.
    /// </summary>
    private async Task SendToPeerAsync(string instanceId, string targetApp, ActivityRequest request, string token, Func<bool> isLive)
    {
        try
        {
            var peer = await _peers!.EngineOfAsync(targetApp, CancellationToken.None);
            peer.RunForPeer(request, token, isLive, response => CompleteActivityTaskAsync(response, CancellationToken.None));
        }
        catch (WorkflowPeerUnavailableException ex)
        {
            LogPeerUnavailable(instanceId, ex.Message);
            _timers.Schedule(Now + RedeliveryDelay, () =>
                isLive() ? SendToPeerAsync(instanceId, targetApp, request, token, isLive) : Task.CompletedTask);
        }
    }

    /// <summary>
    /// Queues another app's activity for this sidecar's workers under a token of its own; <paramref name="reply"/> records
    /// the result with the workflow's sidecar (under the workflow's <paramref name="sourceToken"/>).
    /// </summary>
    private void RunForPeer(ActivityRequest request, string sourceToken, Func<bool> isLive, Func<ActivityResponse, Task> reply)
    {
        var token = $"x|{Guid.NewGuid():N}";
        _peerActivities[token] = new PeerActivity(sourceToken, reply);
        _dispatcher.Enqueue(new WorkItem { ActivityRequest = request, CompletionToken = token }, () =>
        {
            // The workflow finished or moved to a new generation meanwhile: nobody wants this result any more.
            if (isLive())
            {
                return true;
            }

            _peerActivities.TryRemove(token, out _);
            return false;
        });
    }

    /// <summary>A worker here finished another app's activity: the workflow's sidecar records it, or this one sends it again.</summary>
    private async Task CompletePeerActivityAsync(ActivityResponse response)
    {
        if (!_peerActivities.TryGetValue(response.CompletionToken, out var peer))
        {
            LogStaleResult("activity", response.InstanceId);
            return;
        }

        var forward = response.Clone();
        forward.CompletionToken = peer.SourceToken;
        try
        {
            await peer.Reply(forward);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not recorded by the workflow's sidecar: the activity runs again later here, and the worker hears of it now.
            LogSaveFailed(ex, response.InstanceId);
            RedeliverLater(response.CompletionToken);
            throw WorkflowErrors.SaveFailed(response.InstanceId, ex.Message).ToException();
        }

        _peerActivities.TryRemove(response.CompletionToken, out _);
        _dispatcher.Complete(response.CompletionToken);
    }

    public async Task CompleteActivityTaskAsync(ActivityResponse response, CancellationToken cancellationToken)
    {
        if (response.CompletionToken.StartsWith("x|", StringComparison.Ordinal))
        {
            await CompletePeerActivityAsync(response);
            return;
        }

        if (response.CompletionToken.Length == 0 && await FindAsync(response.InstanceId) is { } instance)
        {
            // A worker that does not echo tokens (the JS SDK's protos have none): daprd keys the pending activity by
            // instance and task id (durabletask-go's GetActivityExecutionKey), so this answers the current generation's task.
            response.CompletionToken = $"a|{instance.ExecutionId}|{response.TaskId}";
        }

        if (response.CompletionToken.Split('|') is not ["a", var executionId, _])
        {
            LogStaleResult("activity", response.InstanceId);
            return;
        }

        var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
        if (response.FailureDetails is not null)
        {
            e.TaskFailed = new TaskFailedEvent { TaskScheduledId = response.TaskId, FailureDetails = response.FailureDetails };
        }
        else
        {
            e.TaskCompleted = new TaskCompletedEvent { TaskScheduledId = response.TaskId, Result = response.Result };
        }

        _telemetry?.ActivityCompleted(response.CompletionToken, response.FailureDetails is not null);
        bool recorded;
        try
        {
            // Accepted once: a redelivered activity that completes again finds its result already recorded.
            recorded = await AppendToInboxAsync(response.InstanceId, e,
                i => i.ExecutionId == executionId && HistoryEvents.IsTaskOutstanding(i, response.TaskId), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The result was not recorded: the activity runs again later, and the worker hears of the failure now.
            LogSaveFailed(ex, response.InstanceId);
            RedeliverLater(response.CompletionToken);
            throw WorkflowErrors.SaveFailed(response.InstanceId, ex.Message).ToException();
        }

        _dispatcher.Complete(response.CompletionToken);
        if (!recorded)
        {
            LogStaleResult("activity", response.InstanceId);
        }
    }
}

/// <summary>An activity another app's workflow sent: its token there, and how to hand the result back.</summary>
internal sealed record PeerActivity(string SourceToken, Func<ActivityResponse, Task> Reply);

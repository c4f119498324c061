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
            _ = SendToPeerAsync(new PeerSend(instance, executionId, scheduled.EventId, targetApp, request, token), preferredKey: null);
            return;
        }

        _dispatcher.Enqueue(new WorkItem { ActivityRequest = request, CompletionToken = token }, IsLive);
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

        _telemetry?.ActivityCompleted(response.CompletionToken, response.FailureDetails is not null);
        bool recorded;
        try
        {
            recorded = await AppendActivityResultAsync(response, executionId, cancellationToken);
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

    /// <summary>
    /// Records an activity result in the inbox of generation <paramref name="executionId"/>, once: a redelivered activity
    /// that completes again finds its result already recorded (false). Throws when the save fails.
    /// </summary>
    private Task<bool> AppendActivityResultAsync(ActivityResponse response, string executionId, CancellationToken cancellationToken)
    {
        var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
        if (response.FailureDetails is not null)
        {
            e.TaskFailed = new TaskFailedEvent { TaskScheduledId = response.TaskId, FailureDetails = response.FailureDetails };
        }
        else
        {
            e.TaskCompleted = new TaskCompletedEvent { TaskScheduledId = response.TaskId, Result = response.Result };
        }

        return AppendToInboxAsync(response.InstanceId, e,
            i => i.ExecutionId == executionId && HistoryEvents.IsTaskOutstanding(i, response.TaskId), cancellationToken);
    }
}

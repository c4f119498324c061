using Dapr.DurableTask.Protobuf;
using Sidecar.Workflow.Persistence;

namespace Sidecar.Workflow.Engine;

/// <summary>Orchestration turns: send the history plus the inbox to a worker, then apply the actions it returns.</summary>
internal sealed partial class WorkflowEngine
{
    /// <summary>Sends a turn when the instance has news and none is in flight. Caller holds the instance's gate.</summary>
    private void TryDispatchTurn(InstanceState instance)
    {
        if (instance.IsTerminal || instance.Status == OrchestrationStatus.Suspended || instance.Turn is not null
            || instance.Inbox.Count == 0 || instance.ScheduledStartAt > Now)
        {
            return;
        }

        // Each turn opens with WorkflowStarted: its timestamp is the workflow's deterministic "now" (CurrentUtcDateTime).
        var started = HistoryEvents.New(HistoryEvents.NoEventId, Now);
        started.WorkflowStarted = new WorkflowStartedEvent();
        List<HistoryEvent> newEvents = [started, .. instance.Inbox];
        var token = $"o|{instance.ExecutionId}|{Guid.NewGuid():N}";
        var turn = new TurnInFlight(token, newEvents, instance.Inbox.Count);
        instance.Turn = turn;

        var request = new WorkflowRequest { InstanceId = instance.InstanceId, ExecutionId = instance.ExecutionId };
        request.PastEvents.AddRange(instance.History);
        request.NewEvents.AddRange(newEvents);
        _dispatcher.Enqueue(new WorkItem { WorkflowRequest = request, CompletionToken = token }, () => instance.Turn == turn);
    }

    public async Task CompleteWorkflowTaskAsync(WorkflowResponse response, CancellationToken cancellationToken)
    {
        if (await FindAsync(response.InstanceId) is not { } instance)
        {
            LogStaleResult("workflow", response.InstanceId);
            return;
        }

        var effects = new List<Func<Task>>();
        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            // daprd (durabletask-go's grpcExecutor) takes a response without a token as the current dispatch's: workers
            // on older protos (the JS SDK's) never echo one, and a turn in flight is one per instance anyway.
            if (instance.Turn is not { } turn || (response.CompletionToken.Length > 0 && turn.Token != response.CompletionToken))
            {
                LogStaleResult("workflow", response.InstanceId);
                return;
            }

            var now = Now;
            var draft = instance.Draft();
            var chunk = new List<HistoryEvent>(turn.NewEvents);
            var followUps = new List<Action<InstanceState>>();
            draft.Inbox.RemoveRange(0, turn.InboxCount);
            if (draft.Status == OrchestrationStatus.Pending)
            {
                draft.Status = OrchestrationStatus.Running;
            }

            if (response.CustomStatus is not null)
            {
                draft.CustomStatus = response.CustomStatus;
            }

            var continuedAsNew = ApplyActions(draft, response, chunk, followUps, effects, now);
            draft.LastUpdatedAt = now;
            HistoryWrite write;
            if (continuedAsNew)
            {
                // A new generation starts with an empty history; the old chunks go in the same transaction.
                write = new HistoryWrite(draft.HistoryChunks, null, 0);
                draft.History.Clear();
                draft.HistoryChunks = 0;
            }
            else
            {
                write = AppendHistory(draft, chunk);
            }

            try
            {
                // Not cancelled by the worker leaving: the result is valid and saving it is how the workflow progresses.
                await CommitAsync(instance, draft, write);
            }
            catch (Exception ex)
            {
                // Nothing was published: the instance is as before, this turn goes out again, and the worker hears of it.
                LogSaveFailed(ex, response.InstanceId);
                RedeliverLater(turn.Token);
                throw WorkflowErrors.SaveFailed(response.InstanceId, ex.Message).ToException();
            }

            instance.Turn = null;
            _dispatcher.Complete(turn.Token);
            foreach (var followUp in followUps)
            {
                followUp(instance);
            }

            TryDispatchTurn(instance);
        }
        finally
        {
            instance.Gate.Release();
        }

        await RunEffectsAsync(effects);
    }

    /// <summary>
    /// Applies the worker's actions in order to the <paramref name="instance"/> draft, each new history event stamped with
    /// the action's id. Local follow-ups (dispatch an activity, arm a timer) go to <paramref name="followUps"/>, run on the
    /// live instance once the turn is saved; work on other instances goes to <paramref name="effects"/>, run after the gate
    /// is released. Returns true on continue-as-new.
    /// </summary>
    private bool ApplyActions(
        InstanceState instance, WorkflowResponse response, List<HistoryEvent> chunk, List<Action<InstanceState>> followUps,
        List<Func<Task>> effects, DateTimeOffset now)
    {
        foreach (var action in response.Actions)
        {
            if (instance.IsTerminal)
            {
                break;
            }

            var e = HistoryEvents.New(action.Id, now);
            switch (action.WorkflowActionTypeCase)
            {
                case WorkflowAction.WorkflowActionTypeOneofCase.ScheduleTask:
                    var task = action.ScheduleTask;
                    e.TaskScheduled = new TaskScheduledEvent
                    {
                        Name = task.Name, Version = task.Version, Input = task.Input, TaskExecutionId = task.TaskExecutionId,
                    };
                    // Kept with the event: which app runs the activity, also when it is dispatched again after a restart.
                    e.Router = task.Router ?? action.Router;
                    chunk.Add(e);
                    followUps.Add(live => DispatchActivity(live, e));
                    break;

                case WorkflowAction.WorkflowActionTypeOneofCase.CreateTimer:
                    e.TimerCreated = ToTimerCreated(action.CreateTimer);
                    chunk.Add(e);
                    var executionId = instance.ExecutionId;
                    followUps.Add(_ => ArmTimer(instance.InstanceId, executionId, e.EventId, e.TimerCreated.FireAt.ToDateTimeOffset()));
                    break;

                case WorkflowAction.WorkflowActionTypeOneofCase.CreateChildWorkflow:
                    var child = action.CreateChildWorkflow;
                    e.ChildWorkflowInstanceCreated = new ChildWorkflowInstanceCreatedEvent
                    {
                        InstanceId = child.InstanceId, Name = child.Name, Version = child.Version, Input = child.Input,
                    };
                    e.Router = child.Router ?? action.Router;
                    chunk.Add(e);
                    var parent = ParentInfo(instance, action.Id);
                    var childApp = _peers?.OtherApp(e.Router);
                    if (childApp is not null)
                    {
                        // The child's sidecar reports back to this app.
                        parent.AppID = _peers!.AppId;
                    }

                    effects.Add(() => StartChildAsync(child.InstanceId, child.Name, child.Input, parent, childApp));
                    break;

                case WorkflowAction.WorkflowActionTypeOneofCase.SendEvent:
                    var send = action.SendEvent;
                    e.EventSent = new EventSentEvent { InstanceId = send.Instance?.InstanceId ?? "", Name = send.Name, Input = send.Data };
                    chunk.Add(e);
                    effects.Add(() => SendEventAsync(e.EventSent));
                    break;

                case WorkflowAction.WorkflowActionTypeOneofCase.CompleteWorkflow:
                    var complete = action.CompleteWorkflow;
                    if (complete.WorkflowStatus == OrchestrationStatus.ContinuedAsNew)
                    {
                        ContinueAsNew(instance, complete, now, StartRouter(instance.Parent));
                        return true;
                    }

                    e.ExecutionCompleted = new ExecutionCompletedEvent
                    {
                        WorkflowStatus = complete.WorkflowStatus, Result = complete.Result, FailureDetails = complete.FailureDetails,
                    };
                    chunk.Add(e);
                    instance.Status = complete.WorkflowStatus;
                    instance.Output = complete.Result;
                    instance.Failure = complete.FailureDetails;
                    instance.CompletedAt = now;
                    _telemetry?.WorkflowFinished(instance.InstanceId, instance.Name, complete.WorkflowStatus);
                    if (instance.Parent is { } toNotify)
                    {
                        effects.Add(() => NotifyParentAsync(toNotify, instance, CancellationToken.None));
                    }

                    break;

                case WorkflowAction.WorkflowActionTypeOneofCase.TerminateWorkflow:
                    var terminate = action.TerminateWorkflow;
                    effects.Add(() => TerminateAsync(terminate.InstanceId, terminate.Reason, terminate.Recurse, CancellationToken.None));
                    break;

                case WorkflowAction.WorkflowActionTypeOneofCase.CreateDetachedWorkflow:
                    var detached = action.CreateDetachedWorkflow;
                    e.DetachedWorkflowInstanceCreated = new DetachedWorkflowInstanceCreatedEvent { InstanceId = detached.InstanceId };
                    chunk.Add(e);
                    effects.Add(() => CreateInstanceAsync(
                        detached.InstanceId, detached.Name, detached.Input, null,
                        detached.ScheduledStartTimestamp?.ToDateTimeOffset(), CancellationToken.None));
                    break;

                default:
                    LogUnsupportedAction(instance.InstanceId, action.WorkflowActionTypeCase.ToString());
                    break;
            }
        }

        return false;
    }

    /// <summary>Restarts the instance as a new generation: new input, the carried-over events, and whatever arrived meanwhile.</summary>
    private static void ContinueAsNew(InstanceState instance, CompleteWorkflowAction complete, DateTimeOffset now, TaskRouter? router)
    {
        List<HistoryEvent> arrivedMeanwhile = [.. instance.Inbox];
        instance.Inbox.Clear();
        instance.ExecutionId = Guid.NewGuid().ToString("N");
        instance.Input = complete.Result;
        instance.Output = null;
        instance.Status = OrchestrationStatus.Running;
        var started = HistoryEvents.ExecutionStarted(
            instance.InstanceId, instance.ExecutionId, instance.Name, complete.Result, instance.Parent, null, now);
        started.Router = router;
        instance.Inbox.Add(started);
        instance.Inbox.AddRange(complete.CarryoverEvents);
        instance.Inbox.AddRange(arrivedMeanwhile);
    }

    /// <summary>
    /// The router of an <c>ExecutionStarted</c> event, as daprd sets it: the SDK learns its own app id from it (target,
    /// else source) and needs it to address work to other apps. A child started by another app names that app as source.
    /// </summary>
    private TaskRouter? StartRouter(ParentInstanceInfo? parent)
    {
        if (_peers is null)
        {
            return null;
        }

        return parent is { AppID: { Length: > 0 } parentApp } && parentApp != _peers.AppId
            ? new TaskRouter { SourceAppID = parentApp, TargetAppID = _peers.AppId }
            : new TaskRouter { SourceAppID = _peers.AppId };
    }

    private static TimerCreatedEvent ToTimerCreated(CreateTimerAction timer)
    {
        var created = new TimerCreatedEvent { FireAt = timer.FireAt, Name = timer.Name };
        switch (timer.OriginCase)
        {
            case CreateTimerAction.OriginOneofCase.CreateTimer: created.CreateTimer = timer.CreateTimer; break;
            case CreateTimerAction.OriginOneofCase.ExternalEvent: created.ExternalEvent = timer.ExternalEvent; break;
            case CreateTimerAction.OriginOneofCase.ActivityRetry: created.ActivityRetry = timer.ActivityRetry; break;
            case CreateTimerAction.OriginOneofCase.ChildWorkflowRetry: created.ChildWorkflowRetry = timer.ChildWorkflowRetry; break;
            case CreateTimerAction.OriginOneofCase.None:
            default:
                break;
        }

        return created;
    }

    private static ParentInstanceInfo ParentInfo(InstanceState instance, int taskScheduledId) => new()
    {
        TaskScheduledId = taskScheduledId,
        Name = instance.Name,
        WorkflowInstance = new WorkflowInstance { InstanceId = instance.InstanceId, ExecutionId = instance.ExecutionId },
    };

    private async Task SendEventAsync(EventSentEvent sent)
    {
        var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
        e.EventRaised = new EventRaisedEvent { Name = sent.Name, Input = sent.Input };
        await AppendToInboxAsync(sent.InstanceId, e, _ => true, CancellationToken.None);
    }
}

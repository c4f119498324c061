using Dapr.DurableTask.Protobuf;

namespace Sidecar.Workflow.Engine;

/// <summary>
/// One workflow instance as the engine holds it: committed history, the inbox of events not yet shown to the workflow,
/// status and the turn in flight. Every mutation happens under <see cref="Gate"/>, so one instance runs one step at a
/// time while other instances proceed. A step changes a <see cref="Draft"/>, saves it, and only then
/// <see cref="Publish"/>es it, so what callers see is never ahead of the store.
/// </summary>
internal sealed class InstanceState(string instanceId)
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string InstanceId { get; } = instanceId;

    /// <summary>Serializes every step of this instance.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public string Name { get; set; } = "";

    /// <summary>Changes on continue-as-new, so results meant for the previous generation are refused.</summary>
    public string ExecutionId { get; set; } = "";

    public OrchestrationStatus Status { get; set; } = OrchestrationStatus.Pending;

    public string? Input { get; set; }

    public string? Output { get; set; }

    public string? CustomStatus { get; set; }

    public TaskFailureDetails? Failure { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastUpdatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public DateTimeOffset? ScheduledStartAt { get; set; }

    public ParentInstanceInfo? Parent { get; set; }

    /// <summary>Committed history, in the order the workflow saw it.</summary>
    public List<HistoryEvent> History { get; private set; } = [];

    /// <summary>Events delivered but not yet shown to the workflow.</summary>
    public List<HistoryEvent> Inbox { get; private set; } = [];

    /// <summary>How many history chunks are stored (one per turn), so each turn writes only its own events.</summary>
    public int HistoryChunks { get; set; }

    /// <summary>
    /// Events waiting for <see cref="Gate"/> to enter the inbox (lock the list itself to touch it): whoever holds the gate
    /// next saves all of them in one step, so results arriving together (a fan-out's activities) share one save.
    /// </summary>
    public List<WaitingEvent> WaitingEvents { get; } = [];

    /// <summary>The orchestration work item sent and not yet completed, or null.</summary>
    public TurnInFlight? Turn { get; set; }

    public bool IsTerminal => Status is OrchestrationStatus.Completed or OrchestrationStatus.Failed
        or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;

    /// <summary>Completes at the next change of this instance; read it before checking a condition, then await.</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>A copy of the stored part (status, I/O, history, inbox) to change and save before it is published.</summary>
    public InstanceState Draft() => new(InstanceId)
    {
        Name = Name,
        ExecutionId = ExecutionId,
        Status = Status,
        Input = Input,
        Output = Output,
        CustomStatus = CustomStatus,
        Failure = Failure,
        CreatedAt = CreatedAt,
        LastUpdatedAt = LastUpdatedAt,
        CompletedAt = CompletedAt,
        ScheduledStartAt = ScheduledStartAt,
        Parent = Parent,
        History = [.. History],
        Inbox = [.. Inbox],
        HistoryChunks = HistoryChunks,
    };

    /// <summary>Makes a saved <paramref name="draft"/> the instance's state. Caller holds the gate.</summary>
    public void Publish(InstanceState draft)
    {
        Name = draft.Name;
        ExecutionId = draft.ExecutionId;
        Input = draft.Input;
        Output = draft.Output;
        CustomStatus = draft.CustomStatus;
        Failure = draft.Failure;
        CreatedAt = draft.CreatedAt;
        LastUpdatedAt = draft.LastUpdatedAt;
        CompletedAt = draft.CompletedAt;
        ScheduledStartAt = draft.ScheduledStartAt;
        Parent = draft.Parent;
        History = draft.History;
        Inbox = draft.Inbox;
        HistoryChunks = draft.HistoryChunks;
        // Last: waiters read the status without the gate, and everything it implies is in place by now.
        Status = draft.Status;
    }

    /// <summary>Wakes everyone waiting on <see cref="Changed"/>.</summary>
    public void SignalChanged()
    {
        var previous = Interlocked.Exchange(
            ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}

/// <summary>An orchestration turn sent to a worker: its token and the new events it showed (inbox prefix of <paramref name="InboxCount"/>).</summary>
internal sealed record TurnInFlight(string Token, IReadOnlyList<HistoryEvent> NewEvents, int InboxCount);

/// <summary>
/// An event on its way into an instance's inbox, if <paramref name="Accept"/> agrees (checked against the inbox as it
/// will be saved, events ahead of it included). <see cref="Done"/> says whether it was saved, or why saving failed.
/// </summary>
internal sealed record WaitingEvent(HistoryEvent Event, Func<InstanceState, bool> Accept)
{
    public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

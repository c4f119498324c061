using Dapr.DurableTask.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Sidecar.Workflow.Engine;

/// <summary>Builds history events and answers questions about a history (what is still outstanding).</summary>
internal static class HistoryEvents
{
    /// <summary>Event id of events that are not the result of a workflow action (durabletask uses -1).</summary>
    public const int NoEventId = -1;

    /// <summary>
    /// Timers at or beyond this instant never fire: the SDK marks "wait for an external event without a timeout" with a
    /// timer at 9999-12-31, which must neither fire nor overflow a delay.
    /// </summary>
    public static readonly DateTimeOffset NeverFires = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static HistoryEvent New(int eventId, DateTimeOffset now) =>
        new() { EventId = eventId, Timestamp = Timestamp.FromDateTimeOffset(now) };

    public static HistoryEvent ExecutionStarted(
        string instanceId, string executionId, string name, string? input, ParentInstanceInfo? parent,
        DateTimeOffset? scheduledStart, DateTimeOffset now)
    {
        var started = new ExecutionStartedEvent
        {
            Name = name,
            Input = input,
            WorkflowInstance = new WorkflowInstance { InstanceId = instanceId, ExecutionId = executionId },
            ParentInstance = parent,
        };
        if (scheduledStart is { } start)
        {
            started.ScheduledStartTimestamp = Timestamp.FromDateTimeOffset(start);
        }

        var e = New(NoEventId, now);
        e.ExecutionStarted = started;
        return e;
    }

    /// <summary>True when a task (activity or child workflow) with this id is scheduled and has no result yet.</summary>
    public static bool IsTaskOutstanding(InstanceState instance, int taskId) =>
        instance.History.Any(e => e.EventId == taskId && e.EventTypeCase is HistoryEvent.EventTypeOneofCase.TaskScheduled
            or HistoryEvent.EventTypeOneofCase.ChildWorkflowInstanceCreated)
        && !instance.History.Concat(instance.Inbox).Any(e => CompletesTask(e) == taskId);

    /// <summary>True when a timer with this id was created and has not fired yet.</summary>
    public static bool IsTimerOutstanding(InstanceState instance, int timerId) =>
        instance.History.Any(e => e.EventId == timerId && e.TimerCreated is not null)
        && !instance.History.Concat(instance.Inbox).Any(e => e.TimerFired?.TimerId == timerId);

    /// <summary>The task id a result event completes, or null.</summary>
    public static int? CompletesTask(HistoryEvent e) => e.EventTypeCase switch
    {
        HistoryEvent.EventTypeOneofCase.TaskCompleted => e.TaskCompleted.TaskScheduledId,
        HistoryEvent.EventTypeOneofCase.TaskFailed => e.TaskFailed.TaskScheduledId,
        HistoryEvent.EventTypeOneofCase.ChildWorkflowInstanceCompleted => e.ChildWorkflowInstanceCompleted.TaskScheduledId,
        HistoryEvent.EventTypeOneofCase.ChildWorkflowInstanceFailed => e.ChildWorkflowInstanceFailed.TaskScheduledId,
        _ => null,
    };
}

using Dapr.DurableTask.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Sidecar.Workflow.Engine;

/// <summary>Durable timers: a <c>TimerFired</c> into the inbox at <c>fireAt</c>, and delayed starts.</summary>
internal sealed partial class WorkflowEngine
{
    private void ArmTimer(string instanceId, string executionId, int timerId, DateTimeOffset fireAt) =>
        _timers.Schedule(fireAt, () =>
        {
            var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
            e.TimerFired = new TimerFiredEvent { TimerId = timerId, FireAt = Timestamp.FromDateTimeOffset(fireAt) };
            return AppendToInboxAsync(instanceId, e,
                i => i.ExecutionId == executionId && HistoryEvents.IsTimerOutstanding(i, timerId), CancellationToken.None);
        });

    /// <summary>An instance with a start time in the future gets its first turn then. Caller holds the gate.</summary>
    private void ArmScheduledStart(InstanceState instance)
    {
        if (instance.ScheduledStartAt is not { } start || start <= Now)
        {
            return;
        }

        _timers.Schedule(start, async () =>
        {
            if (await FindAsync(instance.InstanceId) is not { } current || current != instance)
            {
                return;
            }

            await instance.Gate.WaitAsync();
            try
            {
                TryDispatchTurn(instance);
            }
            finally
            {
                instance.Gate.Release();
            }
        });
    }
}

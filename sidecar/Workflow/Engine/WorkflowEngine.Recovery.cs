using Dapr.DurableTask.Protobuf;

namespace Sidecar.Workflow.Engine;

/// <summary>
/// Start-up: load every stored instance and resume the unfinished ones from what was saved — re-dispatch activities
/// whose results are not recorded, re-arm timers, run turns for non-empty inboxes, start children that never started.
/// </summary>
internal sealed partial class WorkflowEngine
{
    private async Task LoadAndResumeAsync(CancellationToken cancellationToken)
    {
        foreach (var instanceId in await _store.LoadIndexAsync(cancellationToken))
        {
            if (await _store.LoadAsync(instanceId, cancellationToken) is { } instance)
            {
                _instances[instanceId] = instance;
            }
        }

        var effects = new List<Func<Task>>();
        var resumed = 0;
        foreach (var instance in _instances.Values.Where(i => !i.IsTerminal))
        {
            resumed++;
            await instance.Gate.WaitAsync(cancellationToken);
            try
            {
                foreach (var e in instance.History)
                {
                    if (e.TaskScheduled is not null && HistoryEvents.IsTaskOutstanding(instance, e.EventId))
                    {
                        DispatchActivity(instance, e);
                    }
                    else if (e.TimerCreated is not null && HistoryEvents.IsTimerOutstanding(instance, e.EventId))
                    {
                        ArmTimer(instance.InstanceId, instance.ExecutionId, e.EventId, e.TimerCreated.FireAt.ToDateTimeOffset());
                    }
                    else if (e.ChildWorkflowInstanceCreated is { } child && HistoryEvents.IsTaskOutstanding(instance, e.EventId)
                        && !_instances.ContainsKey(child.InstanceId))
                    {
                        var parent = ParentInfo(instance, e.EventId);
                        effects.Add(() => StartChildAsync(child.InstanceId, child.Name, child.Input, parent));
                    }
                }

                ArmScheduledStart(instance);
                TryDispatchTurn(instance);
            }
            finally
            {
                instance.Gate.Release();
            }
        }

        // A finished child whose parent never heard of it (stopped in between) reports back again; the parent ignores duplicates.
        foreach (var finished in _instances.Values.Where(i => i.IsTerminal && i.Parent is not null))
        {
            var parent = finished.Parent!;
            if (_instances.TryGetValue(parent.WorkflowInstance?.InstanceId ?? "", out var owner) && !owner.IsTerminal
                && HistoryEvents.IsTaskOutstanding(owner, parent.TaskScheduledId))
            {
                effects.Add(() => NotifyParentAsync(parent, finished, CancellationToken.None));
            }
        }

        // Children start after loading has finished: starting one waits for the engine to be loaded.
        _ = Task.Run(async () =>
        {
            await EnsureLoadedAsync();
            await RunEffectsAsync(effects);
        }, CancellationToken.None);

        if (resumed > 0)
        {
            LogResumed(resumed);
        }
    }
}

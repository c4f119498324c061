namespace Sidecar.Workflow.Engine;

/// <summary>
/// Start-up: load the unfinished instances the index lists and resume them from what was saved — re-dispatch activities
/// whose results are not recorded, re-arm timers, run turns for non-empty inboxes, start children that never started,
/// and collect the results of children that finished while their parent was not listening. Finished instances stay in
/// the store.
/// </summary>
internal sealed partial class WorkflowEngine
{
    private async Task LoadAndResumeAsync(CancellationToken cancellationToken)
    {
        foreach (var instanceId in await _store.LoadIndexAsync(cancellationToken))
        {
            // An index written by an older sidecar also lists finished instances: those stay in the store.
            if (await _store.LoadAsync(instanceId, includeHistory: true, cancellationToken) is { IsTerminal: false } instance)
            {
                _instances[instanceId] = instance;
            }
        }

        // The index from now on: exactly the unfinished instances (an older index may list finished ones).
        _store.ResetIndex(_instances.Keys);
        var effects = new List<Func<Task>>();
        foreach (var instance in _instances.Values)
        {
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
                        && _peers?.OtherApp(e.Router) is { } childApp)
                    {
                        // A child on another app: that app's sidecar starts it, or reports back that it finished.
                        var parent = ParentInfo(instance, e.EventId);
                        parent.AppID = _peers.AppId;
                        var start = ChildStart(child.InstanceId, child.Name, child.Input, parent);
                        effects.Add(() => ResumeRemoteChildAsync(childApp, start, RedeliveryDelay));
                    }
                    else if (e.ChildWorkflowInstanceCreated is { } localChild && HistoryEvents.IsTaskOutstanding(instance, e.EventId)
                        && !_instances.ContainsKey(localChild.InstanceId))
                    {
                        var parent = ParentInfo(instance, e.EventId);
                        effects.Add(() => ResumeChildAsync(localChild.InstanceId, localChild.Name, localChild.Input, parent));
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

        // Children start after loading has finished: starting one waits for the engine to be loaded.
        _ = Task.Run(async () =>
        {
            await EnsureLoadedAsync();
            await RunEffectsAsync(effects);
        }, CancellationToken.None);

        if (_instances.Count > 0)
        {
            LogResumed(_instances.Count);
        }
    }

    /// <summary>
    /// An outstanding child that is not unfinished either never started (start it) or finished while its parent was not
    /// listening (report back again; the parent ignores duplicates).
    /// </summary>
    private async Task ResumeChildAsync(string instanceId, string name, string? input, Dapr.DurableTask.Protobuf.ParentInstanceInfo parent)
    {
        if (await _store.LoadAsync(instanceId, includeHistory: false, CancellationToken.None) is { IsTerminal: true } finished)
        {
            await NotifyParentAsync(parent, finished, CancellationToken.None);
        }
        else
        {
            await StartChildAsync(instanceId, name, input, parent, app: null);
        }
    }
}

using Dapr.DurableTask.Protobuf;
using Sidecar.Workflow.Persistence;

namespace Sidecar.Workflow.Engine;

/// <summary>Instance management: start, query, wait, raise events, terminate, suspend, resume, purge.</summary>
internal sealed partial class WorkflowEngine
{
    // StartInstance answers once the first turn ran (the instance left PENDING), but never waits on a missing worker for long.
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(5);

    public async Task<string> StartAsync(CreateInstanceRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Name))
        {
            throw WorkflowErrors.MissingArgument("name").ToException();
        }

        var instanceId = string.IsNullOrEmpty(request.InstanceId) ? Guid.NewGuid().ToString("N") : request.InstanceId;
        var start = request.ScheduledStartTimestamp?.ToDateTimeOffset();
        var instance = await CreateInstanceAsync(instanceId, request.Name, request.Input, parent: null, start, cancellationToken);
        if (start is null || start <= Now)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartWait);
            try
            {
                await WaitForAsync(instance.InstanceId, i => i.Status != OrchestrationStatus.Pending, false, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No worker picked it up yet; the instance stays PENDING and starts when one connects.
            }
        }

        return instanceId;
    }

    public async Task<WorkflowState?> GetAsync(string instanceId, bool includeInputsAndOutputs, CancellationToken cancellationToken)
    {
        if (await FindAsync(instanceId) is not { } instance)
        {
            return null;
        }

        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            return ToState(instance, includeInputsAndOutputs);
        }
        finally
        {
            instance.Gate.Release();
        }
    }

    public Task<WorkflowState?> WaitForStartAsync(string instanceId, bool includeInputsAndOutputs, CancellationToken cancellationToken) =>
        WaitForAsync(instanceId, i => i.Status != OrchestrationStatus.Pending, includeInputsAndOutputs, cancellationToken);

    public Task<WorkflowState?> WaitForCompletionAsync(string instanceId, bool includeInputsAndOutputs, CancellationToken cancellationToken) =>
        WaitForAsync(instanceId, i => i.IsTerminal, includeInputsAndOutputs, cancellationToken);

    private async Task<WorkflowState?> WaitForAsync(
        string instanceId, Func<InstanceState, bool> condition, bool includeInputsAndOutputs, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync();
        while (true)
        {
            // Looked up each round: a purge or a restart under the same id replaces the instance.
            if (!_instances.TryGetValue(instanceId, out var instance))
            {
                return null;
            }

            var changed = instance.Changed;
            if (condition(instance))
            {
                return await GetAsync(instanceId, includeInputsAndOutputs, cancellationToken);
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    public async Task RaiseEventAsync(string instanceId, string name, string? input, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw WorkflowErrors.MissingArgument("name").ToException();
        }

        await GetRequiredAsync(instanceId);
        var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
        e.EventRaised = new EventRaisedEvent { Name = name, Input = input };
        // An event for a finished instance has nowhere to go; a suspended one keeps it in its inbox until resumed.
        await AppendToInboxAsync(instanceId, e, _ => true, cancellationToken);
    }

    public async Task TerminateAsync(string instanceId, string? output, bool recursive, CancellationToken cancellationToken)
    {
        var instance = await GetRequiredAsync(instanceId);
        var effects = new List<Func<Task>>();
        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            if (instance.IsTerminal)
            {
                return;
            }

            var now = Now;
            var terminated = HistoryEvents.New(HistoryEvents.NoEventId, now);
            terminated.ExecutionTerminated = new ExecutionTerminatedEvent { Input = output, Recurse = recursive };
            var completed = HistoryEvents.New(HistoryEvents.NoEventId, now);
            completed.ExecutionCompleted = new ExecutionCompletedEvent { WorkflowStatus = OrchestrationStatus.Terminated, Result = output };

            // The sidecar ends the instance itself: a turn in flight is now stale and its result will be ignored.
            if (instance.Turn is { } turn)
            {
                _dispatcher.Complete(turn.Token);
                instance.Turn = null;
            }

            instance.Inbox.Clear();
            instance.Status = OrchestrationStatus.Terminated;
            instance.Output = output;
            instance.CompletedAt = now;
            instance.LastUpdatedAt = now;
            var write = AppendHistory(instance, [terminated, completed]);
            await _store.SaveAsync(instance, write, null, cancellationToken);
            instance.SignalChanged();

            if (recursive)
            {
                foreach (var child in OutstandingChildren(instance))
                {
                    effects.Add(() => TerminateIfExistsAsync(child, output));
                }
            }

            if (instance.Parent is { } parent)
            {
                effects.Add(() => NotifyParentAsync(parent, instance, CancellationToken.None));
            }
        }
        finally
        {
            instance.Gate.Release();
        }

        await RunEffectsAsync(effects);
    }

    private async Task TerminateIfExistsAsync(string instanceId, string? output)
    {
        if (await FindAsync(instanceId) is not null)
        {
            await TerminateAsync(instanceId, output, recursive: true, CancellationToken.None);
        }
    }

    public async Task SuspendAsync(string instanceId, string? reason, CancellationToken cancellationToken)
    {
        var instance = await GetRequiredAsync(instanceId);
        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            if (instance.IsTerminal || instance.Status == OrchestrationStatus.Suspended)
            {
                return;
            }

            var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
            e.ExecutionSuspended = new ExecutionSuspendedEvent { Input = reason };
            instance.Inbox.Add(e);
            instance.Status = OrchestrationStatus.Suspended;
            instance.LastUpdatedAt = Now;
            await _store.SaveAsync(instance, HistoryWrite.None, null, cancellationToken);
            instance.SignalChanged();
        }
        finally
        {
            instance.Gate.Release();
        }
    }

    public async Task ResumeAsync(string instanceId, string? reason, CancellationToken cancellationToken)
    {
        var instance = await GetRequiredAsync(instanceId);
        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            if (instance.Status != OrchestrationStatus.Suspended)
            {
                return;
            }

            var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
            e.ExecutionResumed = new ExecutionResumedEvent { Input = reason };
            instance.Inbox.Add(e);
            instance.Status = instance.History.Any(h => h.ExecutionStarted is not null)
                ? OrchestrationStatus.Running
                : OrchestrationStatus.Pending;
            instance.LastUpdatedAt = Now;
            await _store.SaveAsync(instance, HistoryWrite.None, null, cancellationToken);
            instance.SignalChanged();
            TryDispatchTurn(instance);
        }
        finally
        {
            instance.Gate.Release();
        }
    }

    public async Task<int> PurgeAsync(string instanceId, bool recursive, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync();
        var victims = new List<InstanceState>();
        CollectPurge(instanceId, recursive, victims);
        return await PurgeInstancesAsync(victims, cancellationToken);
    }

    public async Task<int> PurgeAsync(PurgeInstanceFilter filter, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync();
        var from = filter.CreatedTimeFrom?.ToDateTimeOffset() ?? DateTimeOffset.MinValue;
        var to = filter.CreatedTimeTo?.ToDateTimeOffset() ?? DateTimeOffset.MaxValue;
        var victims = _instances.Values
            .Where(i => i.IsTerminal && i.CreatedAt >= from && i.CreatedAt <= to)
            .Where(i => filter.RuntimeStatus.Count == 0 || filter.RuntimeStatus.Contains(i.Status))
            .ToList();
        return await PurgeInstancesAsync(victims, cancellationToken);
    }

    private void CollectPurge(string instanceId, bool recursive, List<InstanceState> victims)
    {
        if (!_instances.TryGetValue(instanceId, out var instance) || victims.Contains(instance))
        {
            return;
        }

        if (!instance.IsTerminal)
        {
            throw WorkflowErrors.NotFinished(instanceId).ToException();
        }

        victims.Add(instance);
        if (recursive)
        {
            foreach (var child in instance.History.Where(e => e.ChildWorkflowInstanceCreated is not null))
            {
                CollectPurge(child.ChildWorkflowInstanceCreated.InstanceId, recursive, victims);
            }
        }
    }

    private async Task<int> PurgeInstancesAsync(List<InstanceState> victims, CancellationToken cancellationToken)
    {
        if (victims.Count == 0)
        {
            return 0;
        }

        await _indexGate.WaitAsync(cancellationToken);
        try
        {
            var index = _instances.Keys.Except(victims.Select(v => v.InstanceId), StringComparer.Ordinal).ToList();
            await _store.DeleteAsync(victims, index, cancellationToken);
            foreach (var victim in victims)
            {
                _instances.TryRemove(new KeyValuePair<string, InstanceState>(victim.InstanceId, victim));
                victim.SignalChanged();
            }

            return victims.Count;
        }
        finally
        {
            _indexGate.Release();
        }
    }

    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (await FindAsync(instanceId) is not { } instance)
        {
            return [];
        }

        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            return [.. instance.History];
        }
        finally
        {
            instance.Gate.Release();
        }
    }

    /// <summary>Creates (or, when the previous run under this id finished, replaces) an instance and starts its first turn.</summary>
    private async Task<InstanceState> CreateInstanceAsync(
        string instanceId, string name, string? input, ParentInstanceInfo? parent, DateTimeOffset? start,
        CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync();
        await _indexGate.WaitAsync(cancellationToken);
        try
        {
            var staleChunks = 0;
            if (_instances.TryGetValue(instanceId, out var existing))
            {
                if (!existing.IsTerminal)
                {
                    throw WorkflowErrors.InstanceAlreadyExists(instanceId).ToException();
                }

                staleChunks = existing.HistoryChunks;
            }

            var now = Now;
            var instance = new InstanceState(instanceId)
            {
                Name = name,
                ExecutionId = Guid.NewGuid().ToString("N"),
                Input = input,
                CreatedAt = now,
                LastUpdatedAt = now,
                ScheduledStartAt = start,
                Parent = parent,
            };
            instance.Inbox.Add(HistoryEvents.ExecutionStarted(instanceId, instance.ExecutionId, name, input, parent, start, now));
            var index = _instances.Keys.Append(instanceId).Distinct(StringComparer.Ordinal).ToList();
            await _store.SaveAsync(instance, new HistoryWrite(staleChunks, null, 0), index, cancellationToken);
            _instances[instanceId] = instance;
            existing?.SignalChanged();

            await instance.Gate.WaitAsync(cancellationToken);
            try
            {
                ArmScheduledStart(instance);
                TryDispatchTurn(instance);
            }
            finally
            {
                instance.Gate.Release();
            }

            return instance;
        }
        finally
        {
            _indexGate.Release();
        }
    }

    /// <summary>Ids of children this instance started that have not reported back.</summary>
    private static IEnumerable<string> OutstandingChildren(InstanceState instance) =>
        instance.History
            .Where(e => e.ChildWorkflowInstanceCreated is not null && HistoryEvents.IsTaskOutstanding(instance, e.EventId))
            .Select(e => e.ChildWorkflowInstanceCreated.InstanceId)
            .ToList();

    /// <summary>Adds <paramref name="events"/> to the history as the next stored chunk.</summary>
    private static HistoryWrite AppendHistory(InstanceState instance, IReadOnlyList<HistoryEvent> events)
    {
        var write = new HistoryWrite(0, events, instance.HistoryChunks);
        instance.History.AddRange(events);
        instance.HistoryChunks++;
        return write;
    }
}

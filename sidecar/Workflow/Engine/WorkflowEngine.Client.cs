using Dapr.DurableTask.Protobuf;
using Sidecar.Observability;
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
            // The cap is a safety net for when no worker is connected; with one, the first turn ends the wait.
            using var cap = new CancellationTokenSource(StartWait, _time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cap.Token);
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
        if (await FindAsync(instanceId) is { } instance)
        {
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

        // Not in memory: finished (read back from the store) or unknown.
        var stored = await _store.LoadAsync(instanceId, includeHistory: false, cancellationToken);
        return stored is null ? null : ToState(stored, includeInputsAndOutputs);
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
            // Looked up each round: a restart under the same id replaces the instance.
            if (!_instances.TryGetValue(instanceId, out var instance))
            {
                // Finished (the store has its final state), unknown, or being created right now.
                var stored = await _store.LoadAsync(instanceId, includeHistory: false, cancellationToken);
                if (stored is null || condition(stored))
                {
                    return stored is null ? null : ToState(stored, includeInputsAndOutputs);
                }

                // Saved but not yet in memory: a creation is about to publish it.
                await Task.Delay(TimeSpan.FromMilliseconds(10), _time, cancellationToken);
                continue;
            }

            var changed = instance.Changed;
            if (condition(instance))
            {
                return await GetAsync(instanceId, includeInputsAndOutputs, cancellationToken);
            }

            await changed.WaitAsync(cancellationToken);

            // A finished instance never changes again (and has left memory): answer from the object in hand.
            if (instance.IsTerminal && condition(instance))
            {
                return ToState(instance, includeInputsAndOutputs);
            }
        }
    }

    public async Task RaiseEventAsync(string instanceId, string name, string? input, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw WorkflowErrors.MissingArgument("name").ToException();
        }

        // An event for a finished instance has nowhere to go; a suspended one keeps it in its inbox until resumed.
        if (await FindUnfinishedOrThrowAsync(instanceId, cancellationToken) is null)
        {
            return;
        }

        var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
        e.EventRaised = new EventRaisedEvent { Name = name, Input = input };
        await AppendToInboxAsync(instanceId, e, _ => true, cancellationToken);
    }

    public async Task TerminateAsync(string instanceId, string? output, bool recursive, CancellationToken cancellationToken)
    {
        if (await FindUnfinishedOrThrowAsync(instanceId, cancellationToken) is not { } instance)
        {
            return;
        }

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

            var draft = instance.Draft();
            draft.Inbox.Clear();
            draft.Status = OrchestrationStatus.Terminated;
            draft.Output = output;
            draft.CompletedAt = now;
            draft.LastUpdatedAt = now;
            var write = AppendHistory(draft, [terminated, completed]);
            await CommitAsync(instance, draft, write);
            _telemetry?.WorkflowFinished(instanceId, draft.Name, OrchestrationStatus.Terminated);

            // The sidecar ended the instance itself: a turn in flight is now stale and its result will be ignored.
            if (instance.Turn is { } turn)
            {
                _dispatcher.Complete(turn.Token);
                instance.Turn = null;
            }

            if (recursive)
            {
                // Children on other apps too: their sidecars terminate them (and theirs) in turn.
                foreach (var (child, app) in OutstandingChildren(draft))
                {
                    effects.Add(app is null
                        ? () => TerminateIfExistsAsync(child, output)
                        : () => TerminateRemoteChildAsync(app, child, output, attemptsLeft: 30));
                }
            }

            if (draft.Parent is { } parent)
            {
                effects.Add(() => NotifyParentAsync(parent, draft, CancellationToken.None));
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
        if (await FindUnfinishedOrThrowAsync(instanceId, cancellationToken) is not { } instance)
        {
            return;
        }

        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            if (instance.IsTerminal || instance.Status == OrchestrationStatus.Suspended)
            {
                return;
            }

            var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
            e.ExecutionSuspended = new ExecutionSuspendedEvent { Input = reason };
            var draft = instance.Draft();
            draft.Inbox.Add(e);
            draft.Status = OrchestrationStatus.Suspended;
            draft.LastUpdatedAt = Now;
            await CommitAsync(instance, draft, HistoryWrite.None);
        }
        finally
        {
            instance.Gate.Release();
        }
    }

    public async Task ResumeAsync(string instanceId, string? reason, CancellationToken cancellationToken)
    {
        if (await FindUnfinishedOrThrowAsync(instanceId, cancellationToken) is not { } instance)
        {
            return;
        }

        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            if (instance.Status != OrchestrationStatus.Suspended)
            {
                return;
            }

            var e = HistoryEvents.New(HistoryEvents.NoEventId, Now);
            e.ExecutionResumed = new ExecutionResumedEvent { Input = reason };
            var draft = instance.Draft();
            draft.Inbox.Add(e);
            draft.Status = draft.History.Any(h => h.ExecutionStarted is not null)
                ? OrchestrationStatus.Running
                : OrchestrationStatus.Pending;
            draft.LastUpdatedAt = Now;
            await CommitAsync(instance, draft, HistoryWrite.None);
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
        // Under the index gate: an instance cannot be re-created under the same id while it is being purged.
        await _indexGate.WaitAsync(cancellationToken);
        try
        {
            var victims = new List<InstanceState>();
            await CollectPurgeAsync(instanceId, recursive, victims, cancellationToken);
            if (victims.Count > 0)
            {
                await _store.DeleteAsync(victims, cancellationToken);
            }

            return victims.Count;
        }
        finally
        {
            _indexGate.Release();
        }
    }

    /// <summary>
    /// Like daprd: purging by filter would mean scanning every finished instance, which the store keeps no list of
    /// (only unfinished instances are indexed). Purge by instance id instead.
    /// </summary>
    public Task<int> PurgeAsync(PurgeInstanceFilter filter, CancellationToken cancellationToken) =>
        throw WorkflowErrors.PurgeByFilterUnsupported().ToException();

    /// <summary>Adds the finished instance (read from the store) and, when recursive, its children to <paramref name="victims"/>.</summary>
    private async Task CollectPurgeAsync(string instanceId, bool recursive, List<InstanceState> victims, CancellationToken cancellationToken)
    {
        if (victims.Any(v => v.InstanceId == instanceId))
        {
            return;
        }

        if (_instances.ContainsKey(instanceId) || _creating.ContainsKey(instanceId))
        {
            throw WorkflowErrors.NotFinished(instanceId).ToException();
        }

        if (await _store.LoadAsync(instanceId, includeHistory: recursive, cancellationToken) is not { } instance)
        {
            return;
        }

        victims.Add(instance);
        if (recursive)
        {
            foreach (var child in instance.History.Where(e => e.ChildWorkflowInstanceCreated is not null))
            {
                await CollectPurgeAsync(child.ChildWorkflowInstanceCreated.InstanceId, recursive, victims, cancellationToken);
            }
        }
    }

    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (await FindAsync(instanceId) is { } instance)
        {
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

        return await _store.LoadAsync(instanceId, includeHistory: true, cancellationToken) is { } stored ? stored.History : [];
    }

    /// <summary>Creates (or, when the previous run under this id finished, replaces) an instance and starts its first turn.</summary>
    private async Task<InstanceState> CreateInstanceAsync(
        string instanceId, string name, string? input, ParentInstanceInfo? parent, DateTimeOffset? start,
        CancellationToken cancellationToken)
    {
        using var creating = _telemetry?.CreatingWorkflow(instanceId, name);
        await EnsureLoadedAsync();
        // Claim the id (briefly under the index gate), then save without holding anything other creates need.
        await _indexGate.WaitAsync(cancellationToken);
        try
        {
            // Every unfinished instance is in memory; a finished one under this id is replaced, its old history deleted.
            if (_instances.ContainsKey(instanceId) || !_creating.TryAdd(instanceId, 0))
            {
                throw WorkflowErrors.InstanceAlreadyExists(instanceId).ToException();
            }
        }
        finally
        {
            _indexGate.Release();
        }

        InstanceState instance;
        try
        {
            var previous = await _store.LoadAsync(instanceId, includeHistory: false, cancellationToken);
            var now = Now;
            instance = new InstanceState(instanceId)
            {
                Name = name,
                ExecutionId = Guid.NewGuid().ToString("N"),
                Input = input,
                CreatedAt = now,
                LastUpdatedAt = now,
                ScheduledStartAt = start,
                Parent = parent,
            };
            var started = HistoryEvents.ExecutionStarted(instanceId, instance.ExecutionId, name, input, parent, start, now);
            started.Router = StartRouter(parent);
            // The trace of the call that started the workflow, kept with it: its run and activities are spans of that trace.
            started.ExecutionStarted.ParentTraceContext = WorkflowTelemetry.StartingTraceContext();
            _telemetry?.WorkflowStarted(instanceId, started.ExecutionStarted);
            instance.Inbox.Add(started);
            await _store.SaveAsync(instance, new HistoryWrite(previous?.HistoryChunks ?? 0, null, 0), IndexChange.Add);
            _instances[instanceId] = instance;
        }
        finally
        {
            _creating.TryRemove(instanceId, out _);
        }

        // Saved and visible, its first turn must go out even if the caller gives up now.
        await instance.Gate.WaitAsync(CancellationToken.None);
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

    /// <summary>Children this instance started that have not reported back: their ids and apps (null: this app).</summary>
    private List<(string InstanceId, string? App)> OutstandingChildren(InstanceState instance) =>
        instance.History
            .Where(e => e.ChildWorkflowInstanceCreated is not null && HistoryEvents.IsTaskOutstanding(instance, e.EventId))
            .Select(e => (e.ChildWorkflowInstanceCreated.InstanceId, _peers?.OtherApp(e.Router)))
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

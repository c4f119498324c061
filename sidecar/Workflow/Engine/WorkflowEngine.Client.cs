using Dapr.DurableTask.Protobuf;
using Sidecar.Observability;
using Sidecar.Workflow.Persistence;

namespace Sidecar.Workflow.Engine;

/// <summary>Starting instances: StartInstance, the creation of an instance (also a child's), and the history chunks they write.</summary>
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

    /// <summary>Adds <paramref name="events"/> to the history as the next stored chunk.</summary>
    private static HistoryWrite AppendHistory(InstanceState instance, IReadOnlyList<HistoryEvent> events)
    {
        var write = new HistoryWrite(0, events, instance.HistoryChunks);
        instance.History.AddRange(events);
        instance.HistoryChunks++;
        return write;
    }
}

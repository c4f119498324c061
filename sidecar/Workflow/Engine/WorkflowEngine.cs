using System.Collections.Concurrent;
using Dapr.DurableTask.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sidecar.Observability;
using Sidecar.Workflow.Persistence;

namespace Sidecar.Workflow.Engine;

/// <summary>
/// The workflow engine: per-instance history and inbox driven by replay turns on connected workers. Each instance is
/// serialized by its own gate, so instances never block one another. A step computes the new state as a draft, saves
/// it in one transaction, and only then publishes it in memory and acknowledges; cross-instance effects (start a child,
/// notify a parent, send an event) run after the instance's gate is released. Only unfinished instances live in memory:
/// a finished one is dropped once its completion is saved, and read back from the store when asked about.
/// Partial files: <c>.Client</c> (instance management), <c>.Turns</c>, <c>.Activities</c>, <c>.Timers</c>, <c>.Recovery</c>,
/// and for work across apps <c>.PeerSend</c>, <c>.PeerActivities</c>, <c>.Children</c>.
/// </summary>
internal sealed partial class WorkflowEngine : IWorkflowEngine
{
    // A result that could not be saved goes back to a worker after this pause (not at once: the store may be down).
    private static readonly TimeSpan RedeliveryDelay = TimeSpan.FromSeconds(1);

    // Unfinished instances only; the stored index lists exactly these.
    private readonly ConcurrentDictionary<string, InstanceState> _instances = new(StringComparer.Ordinal);

    // Ids being created (saved, not yet in _instances): a second create or a purge of the id waits its turn or fails.
    private readonly ConcurrentDictionary<string, byte> _creating = new(StringComparer.Ordinal);

    // Short sections only (never across a save): claims an id for a create, and keeps purges from overlapping creates.
    private readonly SemaphoreSlim _indexGate = new(1, 1);
    private readonly IWorkflowStore _store;
    private readonly WorkItemDispatcher _dispatcher;
    private readonly DurableTimers _timers;
    private readonly TimeProvider _time;
    private readonly ILogger<WorkflowEngine> _logger;
    private readonly Lazy<Task> _loaded;
    private readonly WorkflowTelemetry? _telemetry;
    private readonly IWorkflowPeers? _peers;

    public WorkflowEngine(
        IWorkflowStore store, WorkItemDispatcher dispatcher, DurableTimers timers, TimeProvider time, ILogger<WorkflowEngine> logger,
        WorkflowTelemetry? telemetry = null, IWorkflowPeers? peers = null)
    {
        _telemetry = telemetry;
        _peers = peers;
        _store = store;
        _dispatcher = dispatcher;
        _timers = timers;
        _time = time;
        _logger = logger;
        _loaded = new Lazy<Task>(() => LoadAndResumeAsync(CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>How many instances the engine holds in memory: the unfinished ones.</summary>
    internal int InMemoryInstanceCount => _instances.Count;

    /// <summary>Loads the unfinished instances and resumes them (once); every operation waits for it.</summary>
    public Task EnsureLoadedAsync() => _loaded.Value;

    public async Task StreamWorkItemsAsync(Func<WorkItem, Task> write, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync();
        await _dispatcher.RunStreamAsync(write, cancellationToken);
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The unfinished instance with this id, or null (finished, purged or never created).</summary>
    private async Task<InstanceState?> FindAsync(string instanceId)
    {
        await EnsureLoadedAsync();
        return _instances.GetValueOrDefault(instanceId);
    }

    /// <summary>The unfinished instance, or null when it has finished; throws when no instance has this id.</summary>
    private async Task<InstanceState?> FindUnfinishedOrThrowAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (await FindAsync(instanceId) is { } instance)
        {
            return instance;
        }

        return await _store.LoadAsync(instanceId, includeHistory: false, cancellationToken) is null
            ? throw WorkflowErrors.InstanceNotFound(instanceId).ToException()
            : null;
    }

    /// <summary>
    /// Saves <paramref name="draft"/> (with <paramref name="write"/>) and then publishes it into <paramref name="instance"/>.
    /// A draft that finishes the instance also leaves the stored index in the same transaction, and the instance leaves
    /// memory. Nothing is published when the save fails. Caller holds the instance's gate. Not cancellable: the save
    /// may share a transaction with other instances' steps, and once submitted it may commit.
    /// </summary>
    private async Task CommitAsync(InstanceState instance, InstanceState draft, HistoryWrite write)
    {
        await _store.SaveAsync(draft, write, draft.IsTerminal ? IndexChange.Remove : IndexChange.None);
        instance.Publish(draft);
        if (draft.IsTerminal)
        {
            // Out of the index and out of memory; a create under this id may now replace it.
            _instances.TryRemove(new KeyValuePair<string, InstanceState>(instance.InstanceId, instance));
        }

        instance.SignalChanged();
    }

    /// <summary>Sends a work item whose result could not be saved to a worker again, after a pause.</summary>
    private void RedeliverLater(string completionToken) =>
        _timers.Schedule(Now + RedeliveryDelay, () =>
        {
            _dispatcher.Requeue(completionToken);
            return Task.CompletedTask;
        });

    /// <summary>
    /// Appends <paramref name="e"/> to the instance's inbox when <paramref name="accept"/> agrees, saves, and starts a
    /// turn. Returns false when the instance is missing, finished or refused the event. Events that wait for the
    /// instance's gate together are saved together (one step, one write), each still saved before this returns.
    /// </summary>
    private async Task<bool> AppendToInboxAsync(
        string instanceId, HistoryEvent e, Func<InstanceState, bool> accept, CancellationToken cancellationToken)
    {
        if (await FindAsync(instanceId) is not { } instance)
        {
            return false;
        }

        var waiting = new WaitingEvent(e, accept);
        lock (instance.WaitingEvents)
        {
            instance.WaitingEvents.Add(waiting);
        }

        // Not cancellable: once waiting, the event may be saved by whoever holds the gate, and its caller must hear so.
        await instance.Gate.WaitAsync(CancellationToken.None);
        try
        {
            if (!waiting.Done.Task.IsCompleted)
            {
                await SaveWaitingEventsAsync(instance);
            }
        }
        finally
        {
            instance.Gate.Release();
        }

        return await waiting.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Saves every event waiting for the instance as one step and tells each whether it went in. Caller holds the gate.</summary>
    private async Task SaveWaitingEventsAsync(InstanceState instance)
    {
        List<WaitingEvent> batch;
        lock (instance.WaitingEvents)
        {
            batch = [.. instance.WaitingEvents];
            instance.WaitingEvents.Clear();
        }

        var draft = instance.Draft();
        var accepted = new List<WaitingEvent>(batch.Count);
        foreach (var waiting in batch)
        {
            if (!draft.IsTerminal && waiting.Accept(draft))
            {
                draft.Inbox.Add(waiting.Event);
                accepted.Add(waiting);
            }
            else
            {
                waiting.Done.TrySetResult(false);
            }
        }

        if (accepted.Count == 0)
        {
            return;
        }

        draft.LastUpdatedAt = Now;
        try
        {
            await CommitAsync(instance, draft, HistoryWrite.None);
        }
        catch (Exception ex)
        {
            foreach (var waiting in accepted)
            {
                waiting.Done.TrySetException(ex);
            }

            return;
        }

        TryDispatchTurn(instance);
        foreach (var waiting in accepted)
        {
            waiting.Done.TrySetResult(true);
        }
    }

    /// <summary>Runs effects on other instances; one failing does not stop the rest.</summary>
    private async Task RunEffectsAsync(IEnumerable<Func<Task>> effects)
    {
        foreach (var effect in effects)
        {
            try
            {
                await effect();
            }
            catch (Exception ex)
            {
                LogEffectFailed(ex);
            }
        }
    }

    private static WorkflowState ToState(InstanceState instance, bool includeInputsAndOutputs)
    {
        var state = new WorkflowState
        {
            InstanceId = instance.InstanceId,
            Name = instance.Name,
            WorkflowStatus = instance.Status,
            CreatedTimestamp = Timestamp.FromDateTimeOffset(instance.CreatedAt),
            LastUpdatedTimestamp = Timestamp.FromDateTimeOffset(instance.LastUpdatedAt),
            ExecutionId = instance.ExecutionId,
            CustomStatus = instance.CustomStatus,
            FailureDetails = instance.Failure,
            ParentInstanceId = instance.Parent?.WorkflowInstance?.InstanceId,
        };
        if (includeInputsAndOutputs)
        {
            state.Input = instance.Input;
            state.Output = instance.Output;
        }

        if (instance.CompletedAt is { } completed)
        {
            state.CompletedTimestamp = Timestamp.FromDateTimeOffset(completed);
        }

        if (instance.ScheduledStartAt is { } start)
        {
            state.ScheduledStartTimestamp = Timestamp.FromDateTimeOffset(start);
        }

        return state;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save workflow '{InstanceId}'; its work item will be delivered again")]
    private partial void LogSaveFailed(Exception ex, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A workflow effect on another instance failed")]
    private partial void LogEffectFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a stale or unknown {Kind} result for workflow '{InstanceId}'")]
    private partial void LogStaleResult(string kind, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow '{InstanceId}' returned an action this sidecar does not support: {Action}")]
    private partial void LogUnsupportedAction(string instanceId, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow '{InstanceId}' addressed work to another app, which cannot be reached now (tried again shortly): {Reason}")]
    private partial void LogPeerUnavailable(string instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} unfinished workflow instances from the actor state store")]
    private partial void LogResumed(int count);
}

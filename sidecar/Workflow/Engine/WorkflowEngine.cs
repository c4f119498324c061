using System.Collections.Concurrent;
using Dapr.DurableTask.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sidecar.Workflow.Persistence;

namespace Sidecar.Workflow.Engine;

/// <summary>
/// The workflow engine: per-instance history and inbox driven by replay turns on connected workers. Each instance is
/// serialized by its own gate, so instances never block one another; state is saved before anything is acknowledged,
/// and cross-instance effects (start a child, notify a parent, send an event) run after the instance's gate is released.
/// Partial files: <c>.Client</c> (instance management), <c>.Turns</c>, <c>.Activities</c>, <c>.Timers</c>, <c>.Recovery</c>.
/// </summary>
internal sealed partial class WorkflowEngine : IWorkflowEngine
{
    private readonly ConcurrentDictionary<string, InstanceState> _instances = new(StringComparer.Ordinal);

    // Creating and purging instances rewrite the index of instances; this keeps those rewrites in order.
    private readonly SemaphoreSlim _indexGate = new(1, 1);
    private readonly IWorkflowStore _store;
    private readonly WorkItemDispatcher _dispatcher;
    private readonly DurableTimers _timers;
    private readonly TimeProvider _time;
    private readonly ILogger<WorkflowEngine> _logger;
    private readonly Lazy<Task> _loaded;

    public WorkflowEngine(
        IWorkflowStore store, WorkItemDispatcher dispatcher, DurableTimers timers, TimeProvider time, ILogger<WorkflowEngine> logger)
    {
        _store = store;
        _dispatcher = dispatcher;
        _timers = timers;
        _time = time;
        _logger = logger;
        _loaded = new Lazy<Task>(() => LoadAndResumeAsync(CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Loads stored instances and resumes the unfinished ones (once); every operation waits for it.</summary>
    public Task EnsureLoadedAsync() => _loaded.Value;

    public async Task StreamWorkItemsAsync(Func<WorkItem, Task> write, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync();
        await _dispatcher.RunStreamAsync(write, cancellationToken);
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private async Task<InstanceState?> FindAsync(string instanceId)
    {
        await EnsureLoadedAsync();
        return _instances.GetValueOrDefault(instanceId);
    }

    private async Task<InstanceState> GetRequiredAsync(string instanceId) =>
        await FindAsync(instanceId) ?? throw WorkflowErrors.InstanceNotFound(instanceId).ToException();

    /// <summary>
    /// Appends <paramref name="e"/> to the instance's inbox when <paramref name="accept"/> agrees, saves, and starts a
    /// turn. Returns false when the instance is missing, finished or refused the event.
    /// </summary>
    private async Task<bool> AppendToInboxAsync(
        string instanceId, HistoryEvent e, Func<InstanceState, bool> accept, CancellationToken cancellationToken)
    {
        if (await FindAsync(instanceId) is not { } instance)
        {
            return false;
        }

        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            if (instance.IsTerminal || !accept(instance))
            {
                return false;
            }

            instance.Inbox.Add(e);
            instance.LastUpdatedAt = Now;
            await _store.SaveAsync(instance, HistoryWrite.None, null, cancellationToken);
            instance.SignalChanged();
            TryDispatchTurn(instance);
            return true;
        }
        finally
        {
            instance.Gate.Release();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A workflow effect on another instance failed")]
    private partial void LogEffectFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a stale or unknown {Kind} result for workflow '{InstanceId}'")]
    private partial void LogStaleResult(string kind, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Workflow '{InstanceId}' returned an action this sidecar does not support: {Action}")]
    private partial void LogUnsupportedAction(string instanceId, string action);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Count} unfinished workflow instances from the actor state store")]
    private partial void LogResumed(int count);
}

using Dapr.Workflow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Orders.Tests.Workflows;

/// <summary>
/// A hand-written <see cref="WorkflowContext"/>: activities answer from scripts keyed by name (an unscripted activity
/// throws, so a gap is loud), every call and custom status is recorded, and external events are queued up front or
/// made to time out the way the runtime does (<see cref="TaskCanceledException"/>).
/// </summary>
internal sealed class FakeWorkflowContext(string instanceId) : WorkflowContext
{
    private readonly Dictionary<string, Func<object?, object?>> _activities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<object?>> _events = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _timingOut = new(StringComparer.OrdinalIgnoreCase);

    public List<ActivityCall> Calls { get; } = [];

    public List<object?> CustomStatuses { get; } = [];

    public List<(string Name, TimeSpan Timeout)> EventWaits { get; } = [];

    public override string Name => "OrderWorkflow";

    public override string InstanceId { get; } = instanceId;

    public override DateTime CurrentUtcDateTime { get; } = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public override bool IsReplaying => false;

    /// <summary>Answers activity <paramref name="name"/> with <paramref name="answer"/>(input); throw from it to fail the task.</summary>
    public FakeWorkflowContext OnActivity<TIn, TOut>(string name, Func<TIn, TOut> answer)
    {
        _activities[name] = input => answer((TIn)input!);
        return this;
    }

    public FakeWorkflowContext RaiseEvent(string name, object? payload)
    {
        if (!_events.TryGetValue(name, out var queue))
        {
            _events[name] = queue = new Queue<object?>();
        }

        queue.Enqueue(payload);
        return this;
    }

    public FakeWorkflowContext TimeOutEvent(string name)
    {
        _timingOut.Add(name);
        return this;
    }

    public IEnumerable<T> InputsOf<T>(string activityName) =>
        Calls.Where(c => c.Name == activityName).Select(c => (T)c.Input!);

    public override Task<T> CallActivityAsync<T>(string name, object? input = null, WorkflowTaskOptions? options = null)
    {
        Calls.Add(new ActivityCall(name, input, options));
        if (!_activities.TryGetValue(name, out var answer))
        {
            throw new InvalidOperationException($"FakeWorkflowContext: activity '{name}' is not scripted.");
        }

        try
        {
            return Task.FromResult((T)answer(input)!);
        }
        catch (WorkflowTaskFailedException ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    public override Task<T> WaitForExternalEventAsync<T>(string eventName, TimeSpan timeout)
    {
        EventWaits.Add((eventName, timeout));
        if (_events.TryGetValue(eventName, out var queue) && queue.Count > 0)
        {
            return Task.FromResult((T)queue.Dequeue()!);
        }

        return _timingOut.Contains(eventName)
            ? Task.FromCanceled<T>(new CancellationToken(canceled: true))
            : throw new InvalidOperationException($"FakeWorkflowContext: no '{eventName}' event queued and no timeout scripted.");
    }

    public override Task<T> WaitForExternalEventAsync<T>(string eventName, CancellationToken cancellationToken = default) =>
        WaitForExternalEventAsync<T>(eventName, Timeout.InfiniteTimeSpan);

    public override void SetCustomStatus(object? customStatus) => CustomStatuses.Add(customStatus);

    public override ILogger CreateReplaySafeLogger(string categoryName) => NullLogger.Instance;

    public override ILogger CreateReplaySafeLogger(Type type) => NullLogger.Instance;

    public override ILogger<T> CreateReplaySafeLogger<T>() => NullLogger<T>.Instance;

    public override bool IsPatched(string patchName) => true;

    public override Guid NewGuid() => new("6f9619ff-8b86-d011-b42d-00c04fc964ff");

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) =>
        throw new NotSupportedException("OrderWorkflow uses no timers of its own.");

    public override void SendEvent(string instanceId, string eventName, object payload) =>
        throw new NotSupportedException("OrderWorkflow sends no events.");

    public override Task<TResult> CallChildWorkflowAsync<TResult>(string workflowName, object? input = null, ChildWorkflowTaskOptions? options = null) =>
        throw new NotSupportedException("OrderWorkflow starts no child workflows.");

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        throw new NotSupportedException("OrderWorkflow does not continue as new.");

    public override PropagatedHistory? GetPropagatedHistory() => null;
}

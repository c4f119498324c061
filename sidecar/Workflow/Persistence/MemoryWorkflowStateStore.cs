using Sidecar.Components.State;

namespace Sidecar.Workflow.Persistence;

/// <summary>A minimal transactional in-memory store for workflow state when no actor state store is configured.</summary>
internal sealed class MemoryWorkflowStateStore : IStateStore
{
    private readonly Dictionary<string, StateEntry> _items = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public IReadOnlyList<string> Features { get; } = ["ETAG", "TRANSACTIONAL", "ACTOR"];

    public Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_items.GetValueOrDefault(key));
        }
    }

    public Task<string> SetAsync(StateSetOperation operation, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Apply(operation));
        }
    }

    public Task DeleteAsync(StateDeleteOperation operation, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _items.Remove(operation.Key);
        }

        return Task.CompletedTask;
    }

    public Task ExecuteTransactionAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var operation in operations)
            {
                if (operation is StateSetOperation set)
                {
                    Apply(set);
                }
                else
                {
                    _items.Remove(operation.Key);
                }
            }
        }

        return Task.CompletedTask;
    }

    private string Apply(StateSetOperation set)
    {
        var etag = Guid.NewGuid().ToString("N");
        _items[set.Key] = new StateEntry(set.Key, set.Value, etag, set.ExpiresAt, set.ContentType);
        return etag;
    }
}

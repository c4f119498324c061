namespace Sidecar.Components.State;

/// <summary>
/// <c>state.in-memory</c>: a dictionary under one lock, so every operation (and every transaction) is atomic. Expiry is
/// read from the injected <see cref="TimeProvider"/>; expired items read as missing and are dropped when touched.
/// </summary>
internal sealed class InMemoryStateStore(TimeProvider time) : IStateStore, IStateKeyScan
{
    public const string Type = "state.in-memory";
    private const int SweepEveryWrites = 1024;

    private readonly Dictionary<string, StateEntry> _items = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _writesSinceSweep;

    public IReadOnlyList<string> Features => StateFeatures.BuiltIn;

    public Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Live(key));
        }
    }

    public Task<string> SetAsync(StateSetOperation operation, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ETagRules.Check(operation, Live(operation.Key)?.ETag);
            return Task.FromResult(Apply(operation)!);
        }
    }

    public Task DeleteAsync(StateDeleteOperation operation, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ETagRules.Check(operation, Live(operation.Key)?.ETag);
            Apply(operation);
            return Task.CompletedTask;
        }
    }

    public Task ExecuteTransactionAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Check every operation against the state the earlier ones leave, then apply them all: none on failure.
            var pending = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var operation in operations)
            {
                var current = pending.TryGetValue(operation.Key, out var etag) ? etag : Live(operation.Key)?.ETag;
                ETagRules.Check(operation, current);
                pending[operation.Key] = operation is StateSetOperation ? "pending" : null;
            }

            foreach (var operation in operations)
            {
                Apply(operation);
            }

            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<string>> KeysWithPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            IReadOnlyList<string> keys = [.. _items.Values
                .Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && !(e.ExpiresAt <= now))
                .Select(e => e.Key)];
            return Task.FromResult(keys);
        }
    }

    private StateEntry? Live(string key)
    {
        if (!_items.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt is { } expiresAt && expiresAt <= time.GetUtcNow())
        {
            _items.Remove(key);
            return null;
        }

        return entry;
    }

    private string? Apply(StateOperation operation)
    {
        SweepExpiredNowAndThen();
        switch (operation)
        {
            case StateSetOperation set:
                var etag = ETagRules.NewETag();
                _items[set.Key] = new StateEntry(set.Key, set.Value, etag, set.ExpiresAt, set.ContentType);
                return etag;
            default:
                _items.Remove(operation.Key);
                return null;
        }
    }

    /// <summary>Items that expire unread would stay forever; every so many writes, drop them all.</summary>
    private void SweepExpiredNowAndThen()
    {
        if (++_writesSinceSweep < SweepEveryWrites)
        {
            return;
        }

        _writesSinceSweep = 0;
        var now = time.GetUtcNow();
        foreach (var key in _items.Where(i => i.Value.ExpiresAt <= now).Select(i => i.Key).ToList())
        {
            _items.Remove(key);
        }
    }
}

using System.Globalization;
using Dapr;
using Dapr.Client;
using Grpc.Core;

namespace TestDoubles;

/// <summary>State: per-store dictionaries of JSON bytes with an ETag that changes on every write.</summary>
public sealed partial class FakeDaprClient
{
    private readonly Dictionary<string, Dictionary<string, StoredItem>> _stores = new(StringComparer.Ordinal);
    private long _etagCounter;
    private int _pendingConflicts;
    private string? _conflictKey;
    private int _pendingStateFailures;

    private sealed record StoredItem(byte[] Data, string ETag);

    /// <summary>How many ETag-guarded writes or deletes were refused (mismatch, first-write clash or injected conflict).</summary>
    public int RejectedStateWrites { get; private set; }

    /// <summary>
    /// The next <paramref name="count"/> ETag-guarded writes and deletes (TrySave, TryDelete, first-write Save,
    /// transactions) fail as if another writer got there first, to prove a caller's retry loop. With
    /// <paramref name="key"/> only writes to that key count.
    /// </summary>
    public void InjectETagConflicts(int count, string? key = null)
    {
        lock (_gate)
        {
            _pendingConflicts = count;
            _conflictKey = key;
        }
    }

    /// <summary>The next <paramref name="count"/> state calls throw <see cref="DaprException"/> as an unreachable sidecar would.</summary>
    public void InjectStateFailures(int count)
    {
        lock (_gate)
        {
            _pendingStateFailures = count;
        }
    }

    /// <summary>Seeds or overwrites an item (last-write), for arranging a test.</summary>
    public void SetState<TValue>(string storeName, string key, TValue value)
    {
        lock (_gate)
        {
            Write(storeName, key, Serialize(value));
        }
    }

    /// <summary>Reads an item without going through the client API, for asserting; <c>default</c> when missing.</summary>
    public TValue? PeekState<TValue>(string storeName, string key)
    {
        lock (_gate)
        {
            return Find(storeName, key) is { } item ? Deserialize<TValue>(item.Data) : default;
        }
    }

    /// <summary>Whether the store holds <paramref name="key"/>.</summary>
    public bool ContainsState(string storeName, string key)
    {
        lock (_gate)
        {
            return Find(storeName, key) is not null;
        }
    }

    public override Task<TValue> GetStateAsync<TValue>(string storeName, string key, ConsistencyMode? consistencyMode = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        Run(() => Find(storeName, key) is { } item ? Deserialize<TValue>(item.Data)! : default!);

    public override Task<(TValue value, string etag)> GetStateAndETagAsync<TValue>(string storeName, string key,
        ConsistencyMode? consistencyMode = null, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        Run(() => Find(storeName, key) is { } item ? (Deserialize<TValue>(item.Data)!, item.ETag) : (default(TValue)!, string.Empty));

    public override Task<ReadOnlyMemory<byte>> GetByteStateAsync(string storeName, string key,
        ConsistencyMode? consistencyMode = null, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        Run(() => Find(storeName, key) is { } item ? new ReadOnlyMemory<byte>(item.Data) : ReadOnlyMemory<byte>.Empty);

    public override Task<(ReadOnlyMemory<byte>, string etag)> GetByteStateAndETagAsync(string storeName, string key,
        ConsistencyMode? consistencyMode = null, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        Run(() => Find(storeName, key) is { } item
            ? (new ReadOnlyMemory<byte>(item.Data), item.ETag)
            : (ReadOnlyMemory<byte>.Empty, string.Empty));

    public override Task<IReadOnlyList<BulkStateItem>> GetBulkStateAsync(string storeName, IReadOnlyList<string> keys,
        int? parallelism, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        // Like daprd: one entry per key asked, missing keys with empty data and ETag.
        Run<IReadOnlyList<BulkStateItem>>(() => [.. keys.Select(key => Find(storeName, key) is { } item
            ? new BulkStateItem(key, System.Text.Encoding.UTF8.GetString(item.Data), item.ETag)
            : new BulkStateItem(key, string.Empty, string.Empty))]);

    public override Task<IReadOnlyList<BulkStateItem<TValue>>> GetBulkStateAsync<TValue>(string storeName,
        IReadOnlyList<string> keys, int? parallelism, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<BulkStateItem<TValue>>>(() => [.. keys.Select(key => Find(storeName, key) is { } item
            ? new BulkStateItem<TValue>(key, Deserialize<TValue>(item.Data)!, item.ETag)
            : new BulkStateItem<TValue>(key, default!, string.Empty))]);

    public override Task SaveStateAsync<TValue>(string storeName, string key, TValue value, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        SaveOrThrow(storeName, key, Serialize(value), etag: null, stateOptions);

    public override Task SaveByteStateAsync(string storeName, string key, ReadOnlyMemory<byte> binaryValue,
        StateOptions? stateOptions = null, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        SaveOrThrow(storeName, key, binaryValue.ToArray(), etag: null, stateOptions);

    public override Task SaveBulkStateAsync<TValue>(string storeName, IReadOnlyList<SaveStateItem<TValue>> items,
        CancellationToken cancellationToken = default) =>
        Run(() =>
        {
            foreach (var item in items)
            {
                if (!TryWrite(storeName, item.Key, Serialize(item.Value), item.ETag, item.StateOptions))
                {
                    throw ConflictException(item.Key);
                }
            }
        });

    public override Task<bool> TrySaveStateAsync<TValue>(string storeName, string key, TValue value, string etag,
        StateOptions? stateOptions = null, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        TrySave(storeName, key, Serialize(value), etag, stateOptions);

    public override Task<bool> TrySaveByteStateAsync(string storeName, string key, ReadOnlyMemory<byte> binaryValue,
        string etag, StateOptions? stateOptions = null, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        TrySave(storeName, key, binaryValue.ToArray(), etag, stateOptions);

    public override Task DeleteStateAsync(string storeName, string key, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        Run(() =>
        {
            if (!ETagAllows(storeName, key, etag: null, stateOptions))
            {
                throw ConflictException(key);
            }

            Store(storeName, key).Remove(key);
        });

    public override Task<bool> TryDeleteStateAsync(string storeName, string key, string etag, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        Run(() =>
        {
            if (!ETagAllows(storeName, key, etag, stateOptions))
            {
                return false;
            }

            Store(storeName, key).Remove(key);
            return true;
        });

    public override Task DeleteBulkStateAsync(string storeName, IReadOnlyList<BulkDeleteStateItem> items,
        CancellationToken cancellationToken = default) =>
        Run(() =>
        {
            foreach (var item in items)
            {
                if (!ETagAllows(storeName, item.Key, item.ETag, item.StateOptions))
                {
                    throw ConflictException(item.Key);
                }

                Store(storeName, item.Key).Remove(item.Key);
            }
        });

    public override Task ExecuteStateTransactionAsync(string storeName, IReadOnlyList<StateTransactionRequest> operations,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        Run(() =>
        {
            // Every ETag is checked before anything is applied, so a transaction is all or nothing.
            foreach (var op in operations)
            {
                if (!ETagAllows(storeName, op.Key, op.ETag, op.Options))
                {
                    throw TransactionConflictException(op.Key);
                }
            }

            foreach (var op in operations)
            {
                if (op.OperationType == StateOperationType.Delete)
                {
                    Store(storeName, op.Key).Remove(op.Key);
                }
                else
                {
                    Write(storeName, op.Key, op.Value ?? []);
                }
            }
        });

    private Task SaveOrThrow(string storeName, string key, byte[] data, string? etag, StateOptions? options) =>
        Run(() =>
        {
            if (!TryWrite(storeName, key, data, etag, options))
            {
                throw ConflictException(key);
            }
        });

    private Task<bool> TrySave(string storeName, string key, byte[] data, string etag, StateOptions? options) =>
        Run(() => TryWrite(storeName, key, data, etag, options));

    /// <summary>
    /// Every state call yields first, as a call to a real sidecar would: concurrent callers then interleave between
    /// their read and their write, which is what ETag concurrency exists for.
    /// </summary>
    private async Task<T> Run<T>(Func<T> operation)
    {
        await Task.Yield();
        lock (_gate)
        {
            ThrowIfStateFailureInjected();
            return operation();
        }
    }

    private Task Run(Action operation) => Run(() =>
    {
        operation();
        return true;
    });

    private bool TryWrite(string storeName, string key, byte[] data, string? etag, StateOptions? options)
    {
        if (!ETagAllows(storeName, key, etag, options))
        {
            return false;
        }

        Write(storeName, key, data);
        return true;
    }

    /// <summary>
    /// The sidecar contract: with an ETag the item must exist with that ETag; without one, first-write fails when the
    /// item exists and last-write always passes. Injected conflicts apply to guarded operations only.
    /// </summary>
    private bool ETagAllows(string storeName, string key, string? etag, StateOptions? options)
    {
        var hasETag = !string.IsNullOrEmpty(etag);
        var firstWrite = options?.Concurrency == ConcurrencyMode.FirstWrite;
        if (!hasETag && !firstWrite)
        {
            return true;
        }

        var existing = Find(storeName, key);
        var allowed = hasETag ? existing?.ETag == etag : existing is null;
        if (allowed && _pendingConflicts > 0 && (_conflictKey is null || _conflictKey == key))
        {
            _pendingConflicts--;
            allowed = false;
        }

        if (!allowed)
        {
            RejectedStateWrites++;
        }

        return allowed;
    }

    private void Write(string storeName, string key, byte[] data)
    {
        var etag = (++_etagCounter).ToString(CultureInfo.InvariantCulture);
        Store(storeName, key)[key] = new StoredItem(data, etag);
    }

    private StoredItem? Find(string storeName, string key) =>
        Store(storeName, key).GetValueOrDefault(key);

    /// <summary>The store's items, after the checks daprd makes on every state call (store name, key shape).</summary>
    private Dictionary<string, StoredItem> Store(string storeName, string key)
    {
        if (string.IsNullOrWhiteSpace(storeName))
        {
            throw new DaprException("State store name is empty (ERR_STATE_STORE_NOT_FOUND).");
        }

        if (string.IsNullOrEmpty(key) || key.Contains("||", StringComparison.Ordinal))
        {
            throw new DaprException($"Invalid state key '{key}': it must be non-empty and must not contain '||'.");
        }

        if (!_stores.TryGetValue(storeName, out var store))
        {
            store = new Dictionary<string, StoredItem>(StringComparer.Ordinal);
            _stores[storeName] = store;
        }

        return store;
    }

    private void ThrowIfStateFailureInjected()
    {
        if (_pendingStateFailures > 0)
        {
            _pendingStateFailures--;
            throw new DaprException("Injected failure: the Dapr sidecar could not be reached.");
        }
    }

    /// <summary>
    /// As the SDK reports daprd's answer to a transaction that failed an ETag check: gRPC <c>Internal</c>
    /// (ERR_STATE_TRANSACTION, as for any transaction failure), wrapped in a <see cref="DaprException"/>.
    /// </summary>
    private static DaprException TransactionConflictException(string key) =>
        new("State operation failed: the Dapr endpoint indicated a failure. See InnerException for details.",
            new RpcException(new Status(StatusCode.Internal,
                $"error while executing state transaction: possible etag mismatch for key '{key}'; nothing was applied")));

    private static DaprException ConflictException(string key) =>
        new($"State operation failed: ETag mismatch or first-write conflict for key '{key}'.");
}

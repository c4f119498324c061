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

    private sealed record StoredItem(byte[] Data, string ETag, bool FirstWriteMarker);

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
        Read(() => Find(storeName, key) is { } item ? Deserialize<TValue>(item.Data)! : default!);

    public override Task<(TValue value, string etag)> GetStateAndETagAsync<TValue>(string storeName, string key,
        ConsistencyMode? consistencyMode = null, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        Read(() => Find(storeName, key) is { } item ? (Deserialize<TValue>(item.Data)!, item.ETag) : (default(TValue)!, string.Empty));

    public override Task<ReadOnlyMemory<byte>> GetByteStateAsync(string storeName, string key,
        ConsistencyMode? consistencyMode = null, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        Read(() => Find(storeName, key) is { } item ? new ReadOnlyMemory<byte>(item.Data) : ReadOnlyMemory<byte>.Empty);

    public override Task<(ReadOnlyMemory<byte>, string etag)> GetByteStateAndETagAsync(string storeName, string key,
        ConsistencyMode? consistencyMode = null, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        Read(() => Find(storeName, key) is { } item
            ? (new ReadOnlyMemory<byte>(item.Data), item.ETag)
            : (ReadOnlyMemory<byte>.Empty, string.Empty));

    public override Task<IReadOnlyList<BulkStateItem>> GetBulkStateAsync(string storeName, IReadOnlyList<string> keys,
        int? parallelism, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        // Like daprd: one entry per key asked, missing keys with empty data and ETag.
        Read<IReadOnlyList<BulkStateItem>>(() => [.. keys.Select(key => Find(storeName, key) is { } item
            ? new BulkStateItem(key, System.Text.Encoding.UTF8.GetString(item.Data), item.ETag)
            : new BulkStateItem(key, string.Empty, string.Empty))]);

    public override Task<IReadOnlyList<BulkStateItem<TValue>>> GetBulkStateAsync<TValue>(string storeName,
        IReadOnlyList<string> keys, int? parallelism, IReadOnlyDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        Read<IReadOnlyList<BulkStateItem<TValue>>>(() => [.. keys.Select(key => Find(storeName, key) is { } item
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
                if (!TryWrite(storeName, item.Key, Serialize(item.Value), item.ETag, item.StateOptions, inTransaction: false))
                {
                    throw WriteFailure(item.Key, item.ETag);
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
            if (!TryDelete(storeName, key, etag: null))
            {
                throw WriteFailure(key, etag: null);
            }
        });

    public override Task<bool> TryDeleteStateAsync(string storeName, string key, string etag, StateOptions? stateOptions = null,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        // Like the SDK: false for an ETag mismatch, which is what a failed delete with an ETag is.
        Run(() => TryDelete(storeName, key, etag));

    public override Task DeleteBulkStateAsync(string storeName, IReadOnlyList<BulkDeleteStateItem> items,
        CancellationToken cancellationToken = default) =>
        Run(() =>
        {
            foreach (var item in items)
            {
                if (!TryDelete(storeName, item.Key, item.ETag))
                {
                    throw WriteFailure(item.Key, item.ETag);
                }
            }
        });

    /// <summary>
    /// As <c>state.redis</c> runs a transaction: one guarded operation after another in a MULTI/EXEC pipeline, none
    /// of them setting the first-write marker. An operation that fails its check does not undo the others: the call
    /// fails (gRPC <c>Internal</c>, as daprd answers any failed transaction) with whatever passed already applied.
    /// On a store with an outbox (<see cref="ConfigureOutbox"/>), projections are taken out first and every upsert is
    /// published, as daprd does before it runs the transaction.
    /// </summary>
    public override Task ExecuteStateTransactionAsync(string storeName, IReadOnlyList<StateTransactionRequest> operations,
        IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default) =>
        Run(() =>
        {
            var stateOperations = PublishThroughOutbox(storeName, operations);
            string? failedKey = null;
            foreach (var op in stateOperations)
            {
                var applied = op.OperationType == StateOperationType.Delete
                    ? TryDelete(storeName, op.Key, op.ETag)
                    : TryWrite(storeName, op.Key, op.Value ?? [], op.ETag, op.Options, inTransaction: true);
                failedKey ??= applied ? null : op.Key;
            }

            if (failedKey is not null)
            {
                throw TransactionFailure(failedKey);
            }
        });

    private Task SaveOrThrow(string storeName, string key, byte[] data, string? etag, StateOptions? options) =>
        Run(() =>
        {
            if (!TryWrite(storeName, key, data, etag, options, inTransaction: false))
            {
                throw WriteFailure(key, etag);
            }
        });

    /// <summary>
    /// As the SDK's <c>TrySaveStateAsync</c> over daprd: <c>false</c> only for an ETag mismatch (gRPC Aborted), which
    /// Redis reports only when an ETag was given; a refused write without one is a plain error (Internal).
    /// </summary>
    private Task<bool> TrySave(string storeName, string key, byte[] data, string etag, StateOptions? options) =>
        Run(() => TryWrite(storeName, key, data, etag, options, inTransaction: false)
            || (HasETag(etag) ? false : throw WriteFailure(key, etag)));

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

    /// <summary>
    /// Redis's set script (components-contrib <c>state/redis</c>): a missing key is always written, whatever ETag was
    /// given (a stale write recreates a deleted key); an existing one when the ETag matches, or when no ETag counts
    /// (none given, or last-write concurrency, which ignores it) and the key was never written with the first-write
    /// marker. Single-key first-write writes set that marker; writes inside a transaction never do.
    /// </summary>
    private bool TryWrite(string storeName, string key, byte[] data, string? etag, StateOptions? options, bool inTransaction)
    {
        var existing = Find(storeName, key);
        var version = options?.Concurrency == ConcurrencyMode.LastWrite || !HasETag(etag) ? null : etag;
        var allowed = existing is null || existing.ETag == version || (version is null && !existing.FirstWriteMarker);
        if (!Guard(key, allowed, guarded: version is not null || options?.Concurrency == ConcurrencyMode.FirstWrite))
        {
            return false;
        }

        var marker = (existing?.FirstWriteMarker ?? false)
            || (!inTransaction && options?.Concurrency == ConcurrencyMode.FirstWrite);
        Write(storeName, key, data, marker);
        return true;
    }

    /// <summary>Redis's delete script: deletes when the key is missing, the ETag matches, or no ETag was given.</summary>
    private bool TryDelete(string storeName, string key, string? etag)
    {
        var existing = Find(storeName, key);
        var allowed = existing is null || !HasETag(etag) || existing.ETag == etag;
        if (!Guard(key, allowed, guarded: HasETag(etag)))
        {
            return false;
        }

        Store(storeName, key).Remove(key);
        return true;
    }

    /// <summary>Counts refusals, and turns an allowed guarded write into a refusal while injected conflicts last.</summary>
    private bool Guard(string key, bool allowed, bool guarded)
    {
        if (allowed && guarded && _pendingConflicts > 0 && (_conflictKey is null || _conflictKey == key))
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

    private static bool HasETag(string? etag) => !string.IsNullOrEmpty(etag);

    private void Write(string storeName, string key, byte[] data, bool firstWriteMarker = false)
    {
        var etag = (++_etagCounter).ToString(CultureInfo.InvariantCulture);
        Store(storeName, key)[key] = new StoredItem(data, etag, firstWriteMarker);
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
    /// As the SDK reports daprd's answer to a failed transaction: gRPC <c>Internal</c> (ERR_STATE_TRANSACTION), wrapped
    /// in a <see cref="DaprException"/>. On Redis the operations that passed stay applied.
    /// </summary>
    private static DaprException TransactionFailure(string key) =>
        new("State operation failed: the Dapr endpoint indicated a failure. See InnerException for details.",
            new RpcException(new Status(StatusCode.Internal,
                $"error while executing state transaction: failed to set key {key}")));

    /// <summary>A refused single-key write: ETag mismatch (Aborted) when an ETag was given, else a plain error (Internal).</summary>
    private static DaprException WriteFailure(string key, string? etag) =>
        new($"State operation failed: the Dapr endpoint indicated a failure. See InnerException for details.",
            new RpcException(new Status(HasETag(etag) ? StatusCode.Aborted : StatusCode.Internal,
                HasETag(etag) ? $"possible etag mismatch for key {key}" : $"failed to set key {key}")));
}

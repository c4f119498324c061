namespace Sidecar.Components.State;

/// <summary>
/// A state store component. Keys are the stored keys (already prefixed by the state building block). The store owns
/// ETag and TTL semantics, as its daprd counterpart does. The built-in stores (<see cref="ETagRules"/>): every write makes
/// a new ETag, a write or delete carrying an ETag succeeds only when the item exists with that ETag,
/// <see cref="Concurrency.FirstWrite"/> without an ETag fails when the item exists, and expired items read as missing.
/// <c>state.redis</c> keeps components-contrib's rules instead (see <c>RedisStateScripts</c>).
/// </summary>
public interface IStateStore
{
    /// <summary>What the store supports, reported in metadata (e.g. ETAG, TRANSACTIONAL, TTL, ACTOR).</summary>
    IReadOnlyList<string> Features { get; }

    /// <summary>The item, or null when it is missing or expired.</summary>
    Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Writes one item and returns its new ETag. Throws <see cref="StateETagMismatchException"/> on a failed ETag check.</summary>
    Task<string> SetAsync(StateSetOperation operation, CancellationToken cancellationToken);

    /// <summary>Deletes one item. Throws <see cref="StateETagMismatchException"/> on a failed ETag check.</summary>
    Task DeleteAsync(StateDeleteOperation operation, CancellationToken cancellationToken);

    /// <summary>
    /// Applies the operations in order, each under the rules above. What a failure leaves is the store's to say:
    /// <c>state.in-memory</c> and <c>state.sqlite</c> check every operation before applying any (all or none), while
    /// <c>state.redis</c>, as daprd's, runs every operation and rolls none back, so the others stay applied. Either way
    /// the call fails.
    /// </summary>
    Task ExecuteTransactionAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken);
}

/// <summary>First-write fails when someone else wrote first; last-write always wins.</summary>
public enum Concurrency { LastWrite, FirstWrite }

/// <summary>A stored item as read back.</summary>
public sealed record StateEntry(string Key, byte[] Value, string ETag, DateTimeOffset? ExpiresAt, string? ContentType = null);

/// <summary>An operation of a transaction.</summary>
public abstract record StateOperation(string Key, string? ETag, Concurrency Concurrency);

/// <summary>
/// Write <paramref name="Value"/>; <paramref name="ExpiresAt"/> null means no TTL. <paramref name="TtlSeconds"/> is the
/// request's <c>ttlInSeconds</c> as asked (null: none; zero or less: never expires), for stores such as Redis that keep
/// TTLs themselves.
/// </summary>
public sealed record StateSetOperation(string Key, byte[] Value, string? ETag, Concurrency Concurrency,
    DateTimeOffset? ExpiresAt, string? ContentType = null, long? TtlSeconds = null) : StateOperation(Key, ETag, Concurrency);

/// <summary>Delete the item.</summary>
public sealed record StateDeleteOperation(string Key, string? ETag, Concurrency Concurrency)
    : StateOperation(Key, ETag, Concurrency);

/// <summary>An ETag check failed (the item changed, is missing, or exists under first-write). Maps to 409 / Aborted.</summary>
public sealed class StateETagMismatchException(string key) : Exception($"possible etag mismatch for key '{key}'")
{
    public string Key { get; } = key;
}

/// <summary>An ETag that this store could never have issued. Maps to 400 / InvalidArgument.</summary>
public sealed class StateETagInvalidException(string key, string etag) : Exception($"invalid etag '{etag}' for key '{key}'")
{
    public string Key { get; } = key;
}

using Sidecar.Components.State;

namespace Sidecar.State;

/// <summary>An item read back: empty data and ETag when missing (as daprd answers), metadata such as <c>ttlExpireTime</c>.</summary>
public sealed record StateItem(string Key, byte[] Data, string ETag, IReadOnlyDictionary<string, string> Metadata)
{
    public bool Exists => ETag.Length > 0;
}

/// <summary>One item of a bulk get: the item, or the error reading it.</summary>
public sealed record BulkStateItem(string Key, byte[] Data, string ETag, IReadOnlyDictionary<string, string> Metadata, string? Error);

/// <summary>A write or delete as the app asks it (unprefixed key); also an operation of a transaction.</summary>
public abstract record StateRequest(string Key, string? ETag, Concurrency Concurrency, IReadOnlyDictionary<string, string> Metadata);

/// <summary>A save (an upsert in a transaction); metadata such as <c>ttlInSeconds</c>, <c>contentType</c>.</summary>
public sealed record StateSaveRequest(
    string Key, byte[] Value, string? ETag, Concurrency Concurrency, IReadOnlyDictionary<string, string> Metadata)
    : StateRequest(Key, ETag, Concurrency, Metadata);

/// <summary>A delete.</summary>
public sealed record StateDeleteRequest(
    string Key, string? ETag, Concurrency Concurrency, IReadOnlyDictionary<string, string> Metadata)
    : StateRequest(Key, ETag, Concurrency, Metadata);

/// <summary>The state building block: what both API surfaces call.</summary>
public interface IStateApi
{
    Task<StateItem> GetAsync(string store, string key, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    Task<IReadOnlyList<BulkStateItem>> GetBulkAsync(
        string store, IReadOnlyList<string> keys, int parallelism, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    Task SaveAsync(string store, IReadOnlyList<StateSaveRequest> items, CancellationToken cancellationToken);

    Task DeleteAsync(string store, StateDeleteRequest request, CancellationToken cancellationToken);

    Task DeleteBulkAsync(string store, IReadOnlyList<StateDeleteRequest> requests, CancellationToken cancellationToken);

    /// <summary>Upserts (<see cref="StateSaveRequest"/>) and deletes (<see cref="StateDeleteRequest"/>), all or none.</summary>
    Task ExecuteTransactionAsync(string store, IReadOnlyList<StateRequest> operations, CancellationToken cancellationToken);
}

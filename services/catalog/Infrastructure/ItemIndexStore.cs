using Catalog.Domain;
using Contracts;
using Dapr;
using Dapr.Client;
using ServiceDefaults.State;

namespace Catalog.Infrastructure;

/// <summary>
/// The id index, spread over <see cref="IndexBuckets.Count"/> keys, kept with single-key ETag writes only. The rules
/// that keep every live item listed without a cross-key transaction: an entry for incarnation n is written before
/// incarnation n is written live; an entry is removed only when, after the bucket was read, the item is read as a
/// tombstone of incarnation n or later, and the removal is guarded by the bucket's ETag. A create that could bring the
/// id back writes the bucket first (failing that removal) or shows a newer incarnation (stopping it).
/// </summary>
internal sealed partial class ItemIndexStore(DaprClient dapr, OptimisticState state, ILogger<ItemIndexStore> logger)
{
    /// <summary>Makes sure <paramref name="id"/> is listed for <paramref name="incarnation"/> (no write when it is).</summary>
    public Task ListAsync(string id, long incarnation, CancellationToken cancellationToken) =>
        state.UpdateAsync<IndexBucket, bool>(DaprNames.CatalogStore, StateKeys.BucketOf(id), bucket =>
        {
            var current = bucket ?? IndexBucket.Empty;
            var listed = current.List(id, incarnation);
            return ReferenceEquals(listed, current) ? StateChange<IndexBucket, bool>.Keep(true) : StateChange<IndexBucket, bool>.Write(listed, true);
        }, cancellationToken);

    /// <summary>
    /// Removes <paramref name="id"/>'s entry if the life it lists has ended. Best effort: a failure leaves an entry that
    /// listing skips and repairs later, so it is logged, not thrown.
    /// </summary>
    public async Task UnlistIfDeadAsync(string id, CancellationToken cancellationToken)
    {
        var key = StateKeys.BucketOf(id);
        try
        {
            await state.RetryAsync(key, async ct =>
            {
                var (bucket, etag) = await dapr.GetStateAndETagAsync<IndexBucket?>(DaprNames.CatalogStore, key, cancellationToken: ct);
                var listed = bucket?.IncarnationOf(id) ?? 0;
                if (listed == 0)
                {
                    return Attempt<bool>.Applied(false);
                }

                // Read after the bucket: see the rules above.
                var item = await dapr.GetStateAsync<CatalogItem?>(DaprNames.CatalogStore, StateKeys.Item(id), cancellationToken: ct);
                if (item is null || item.IsLive || item.Incarnation < listed)
                {
                    return Attempt<bool>.Applied(false);
                }

                return await OptimisticState.TryGuardedAsync(() =>
                    dapr.TrySaveStateAsync(DaprNames.CatalogStore, key, bucket!.Unlist(id), etag, FirstWrite, cancellationToken: ct))
                    ? Attempt<bool>.Applied(true)
                    : Attempt<bool>.Lost;
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is ContentionException or DaprException)
        {
            LogRepairPostponed(logger, id, ex.Message);
        }
    }

    /// <summary>Every entry of every bucket, in ordinal id order.</summary>
    public async Task<IReadOnlyList<KeyValuePair<string, long>>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var keys = Enumerable.Range(0, IndexBuckets.Count).Select(StateKeys.Bucket).ToList();
        var buckets = await dapr.GetBulkStateAsync<IndexBucket?>(DaprNames.CatalogStore, keys, parallelism: null, cancellationToken: cancellationToken);
        return [.. buckets.SelectMany(b => b.Value?.Entries ?? []).OrderBy(e => e.Key, StringComparer.Ordinal)];
    }

    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index entry of deleted item {ItemId} stays for now (listing skips it): {Reason}")]
    private static partial void LogRepairPostponed(ILogger logger, string itemId, string reason);
}

using Catalog.Domain;
using Contracts;
using Dapr.Client;
using ServiceDefaults.State;

namespace Catalog.Infrastructure;

/// <summary>
/// Items in the catalog's state store. Every write is a single-key ETag-guarded write (the upsert's carries its event
/// through the outbox); item keys are never deleted (see <see cref="CatalogItem"/>); the index is kept by
/// <see cref="ItemIndexStore"/> in an order that never leaves a live item unlisted.
/// </summary>
internal sealed partial class ItemStore(
    DaprClient dapr, OptimisticState state, ItemIndexStore index, ItemOutbox outbox, ILogger<ItemStore> logger)
{
    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    /// <summary>The live item, or null when it never existed or was deleted.</summary>
    public async Task<CatalogItem?> FindAsync(string id, CancellationToken cancellationToken) =>
        await dapr.GetStateAsync<CatalogItem?>(DaprNames.CatalogStore, StateKeys.Item(id), cancellationToken: cancellationToken)
            is { IsLive: true } item ? item : null;

    /// <summary>
    /// Creates or replaces an item and publishes <c>item.upserted</c> with the write. A create lists the id first,
    /// then brings the item to life; a replace of a live item writes the item only.
    /// </summary>
    public async Task<(UpsertOutcome Outcome, CatalogItem Item)> UpsertAsync(
        string id, string name, decimal price, int stock, CancellationToken cancellationToken)
    {
        var key = StateKeys.Item(id);
        var result = await state.RetryAsync(key, async ct =>
        {
            var (current, etag) = await ReadCreatingAsync(id, ct);
            var (outcome, item) = current.IsLive
                ? (UpsertOutcome.Replaced, current.Replace(name, price, stock))
                : (UpsertOutcome.Created, current.Revive(name, price, stock));
            if (outcome == UpsertOutcome.Created)
            {
                await index.ListAsync(id, item.Incarnation, ct);
            }

            return await outbox.TryWriteAsync(item, etag, ct)
                ? Attempt<(UpsertOutcome, CatalogItem)>.Applied((outcome, item))
                : Attempt<(UpsertOutcome, CatalogItem)>.Lost;
        }, cancellationToken);

        LogUpserted(logger, id, result.Item1);
        return result;
    }

    /// <summary>Ends the item's life (a tombstone), then unlists it; nothing to do when it is not live.</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var deleted = await state.UpdateAsync<CatalogItem, bool>(DaprNames.CatalogStore, StateKeys.Item(id), current =>
            current is { IsLive: true }
                ? StateChange<CatalogItem, bool>.Write(current.Tombstone(), true)
                : StateChange<CatalogItem, bool>.Keep(false), cancellationToken);

        // Also after a delete that found nothing to do: an earlier one may have stopped before this step.
        await index.UnlistIfDeadAsync(id, cancellationToken);
        if (deleted)
        {
            LogDeleted(logger, id);
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> live items after <paramref name="after"/> in id order, the last id looked at and
    /// whether more follow. Index entries of deleted items are skipped and repaired.
    /// </summary>
    public async Task<(IReadOnlyList<CatalogItem> Items, string? LastId, bool HasMore)> ListAsync(
        string? after, int limit, CancellationToken cancellationToken)
    {
        var entries = await index.ReadAllAsync(cancellationToken);
        var next = after is null ? 0 : entries.Count(e => string.CompareOrdinal(e.Key, after) <= 0);
        var items = new List<CatalogItem>(limit);
        var dead = new List<string>();
        while (next < entries.Count && items.Count < limit)
        {
            var chunk = entries.Skip(next).Take(limit - items.Count).ToList();
            var found = await dapr.GetBulkStateAsync<CatalogItem?>(
                DaprNames.CatalogStore, [.. chunk.Select(e => StateKeys.Item(e.Key))], parallelism: null, cancellationToken: cancellationToken);
            for (var i = 0; i < chunk.Count; i++)
            {
                if (found[i].Value is { } item && item.IsLive)
                {
                    items.Add(item);
                }
                else if (found[i].Value is { } tombstone && tombstone.Incarnation >= chunk[i].Value)
                {
                    dead.Add(chunk[i].Key);
                }
            }

            next += chunk.Count;
        }

        foreach (var id in dead)
        {
            await index.UnlistIfDeadAsync(id, cancellationToken);
        }

        return (items, next > 0 ? entries[next - 1].Key : null, next < entries.Count);
    }

    /// <summary>Reserves stock for an order in one ETag-guarded write of the item record.</summary>
    public async Task<(ReserveOutcome Outcome, CatalogItem? Item)> ReserveAsync(
        string id, string orderId, int quantity, CancellationToken cancellationToken)
    {
        var result = await state.UpdateAsync<CatalogItem, (ReserveOutcome, CatalogItem?)>(DaprNames.CatalogStore, StateKeys.Item(id), current =>
        {
            if (current is not { IsLive: true })
            {
                return StateChange<CatalogItem, (ReserveOutcome, CatalogItem?)>.Keep((ReserveOutcome.ItemNotFound, null));
            }

            var outcome = current.Reserve(orderId, quantity, out var updated);
            return outcome == ReserveOutcome.Reserved
                ? StateChange<CatalogItem, (ReserveOutcome, CatalogItem?)>.Write(updated, (outcome, updated))
                : StateChange<CatalogItem, (ReserveOutcome, CatalogItem?)>.Keep((outcome, current));
        }, cancellationToken);

        if (result.Item1 == ReserveOutcome.Reserved)
        {
            LogReserved(logger, quantity, id, orderId, result.Item2!.Stock);
        }

        return result;
    }

    /// <summary>Gives an order's stock back; nothing to do when it holds none or the item is gone.</summary>
    public async Task ReleaseAsync(string id, string orderId, CancellationToken cancellationToken)
    {
        var released = await state.UpdateAsync<CatalogItem, bool>(DaprNames.CatalogStore, StateKeys.Item(id), current =>
            current is { IsLive: true } && current.Release(orderId, out var updated)
                ? StateChange<CatalogItem, bool>.Write(updated, true)
                : StateChange<CatalogItem, bool>.Keep(false), cancellationToken);
        if (released)
        {
            LogReleased(logger, id, orderId);
        }
    }

    /// <summary>
    /// The item record and its ETag; a missing key is first made to exist as a placeholder, with first-write and an
    /// empty ETag outside any transaction (the only write Redis guards by "still missing"), so from then on every
    /// write carries an ETag and no stale one can recreate the key.
    /// </summary>
    private async Task<(CatalogItem Item, string ETag)> ReadCreatingAsync(string id, CancellationToken cancellationToken)
    {
        var key = StateKeys.Item(id);
        var (current, etag) = await dapr.GetStateAndETagAsync<CatalogItem?>(DaprNames.CatalogStore, key, cancellationToken: cancellationToken);
        if (current is not null)
        {
            return (current, etag);
        }

        // Losing this race is fine: whoever won wrote the same placeholder or more.
        await OptimisticState.TryGuardedAsync(() => dapr.TrySaveStateAsync(
            DaprNames.CatalogStore, key, CatalogItem.Placeholder(id), string.Empty, FirstWrite, cancellationToken: cancellationToken));
        (current, etag) = await dapr.GetStateAndETagAsync<CatalogItem?>(DaprNames.CatalogStore, key, cancellationToken: cancellationToken);
        return (current ?? throw new InvalidOperationException($"Item key '{key}' is missing right after it was written."), etag);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Item {ItemId} {Outcome}")]
    private static partial void LogUpserted(ILogger logger, string itemId, UpsertOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Item {ItemId} deleted")]
    private static partial void LogDeleted(ILogger logger, string itemId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reserved {Quantity} of {ItemId} for order {OrderId}; {Stock} left")]
    private static partial void LogReserved(ILogger logger, int quantity, string itemId, string orderId, int stock);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released the reservation of order {OrderId} on {ItemId}")]
    private static partial void LogReleased(ILogger logger, string itemId, string orderId);
}

using Catalog.Domain;
using Contracts;
using Dapr.Client;
using static Catalog.Infrastructure.OptimisticWriter;

namespace Catalog.Infrastructure;

/// <summary>
/// Items and the id index in the Dapr state store. Whatever changes whether an item exists writes the item and the
/// index in one ETag-guarded transaction, so the index lists exactly the stored items under any interleaving.
/// </summary>
internal sealed partial class ItemStore(DaprClient dapr, OptimisticWriter writer, ILogger<ItemStore> logger)
{
    public Task<CatalogItem?> FindAsync(string id, CancellationToken cancellationToken) =>
        dapr.GetStateAsync<CatalogItem?>(DaprNames.StateStore, StateKeys.Item(id), cancellationToken: cancellationToken);

    /// <summary>
    /// Creates or replaces an item. A create writes the item and its index entry in one transaction; a replace of a
    /// listed item is a single-key write.
    /// </summary>
    public async Task<(UpsertOutcome Outcome, CatalogItem? Item)> UpsertAsync(
        string id, string name, decimal price, int stock, CancellationToken cancellationToken)
    {
        var (applied, result) = await writer.UpdatePairAsync<CatalogItem, ItemIndex, (UpsertOutcome, CatalogItem)>(
            StateKeys.Item(id),
            StateKeys.Index,
            (current, index) =>
            {
                var listed = index ?? ItemIndex.Empty;
                if (current is not null && listed.Contains(id))
                {
                    var replaced = current.Replace(name, price, stock);
                    return new(Change<CatalogItem>.Upsert(replaced), Change<ItemIndex>.Keep, (UpsertOutcome.Replaced, replaced));
                }

                // A create (or an unlisted item): the index is written even when it already lists the id, as the
                // guard that nobody created or deleted the item since it was read.
                var (item, outcome) = current is null
                    ? (CatalogItem.Create(id, name, price, stock), UpsertOutcome.Created)
                    : (current.Replace(name, price, stock), UpsertOutcome.Replaced);
                return new(Change<CatalogItem>.Upsert(item), Change<ItemIndex>.Upsert(listed.Add(id)), (outcome, item));
            },
            cancellationToken);
        if (!applied)
        {
            return (UpsertOutcome.Contended, null);
        }

        LogUpserted(logger, id, result.Item1);
        return result;
    }

    /// <summary>
    /// Deletes the item and its index entry in one transaction (only the entry when the item is already gone);
    /// <c>false</c> when they stayed contended.
    /// </summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var (applied, _) = await writer.UpdatePairAsync<CatalogItem, ItemIndex, bool>(
            StateKeys.Item(id),
            StateKeys.Index,
            (current, index) =>
            {
                var listed = index ?? ItemIndex.Empty;
                if (current is null && !listed.Contains(id))
                {
                    return new(Change<CatalogItem>.Keep, Change<ItemIndex>.Keep, true);
                }

                // The index write also guards the item's absence when only a stale entry is left to remove.
                var item = current is null ? Change<CatalogItem>.Keep : Change<CatalogItem>.Delete;
                return new(item, Change<ItemIndex>.Upsert(listed.Remove(id)), true);
            },
            cancellationToken);
        return applied;
    }

    public async Task<(IReadOnlyList<CatalogItem> Items, string? LastId, bool HasMore)> ListAsync(
        string? after, int limit, CancellationToken cancellationToken)
    {
        var index = await dapr.GetStateAsync<ItemIndex?>(DaprNames.StateStore, StateKeys.Index, cancellationToken: cancellationToken)
            ?? ItemIndex.Empty;
        var (ids, hasMore) = index.PageAfter(after, limit);
        if (ids.Count == 0)
        {
            return ([], null, false);
        }

        var found = await dapr.GetBulkStateAsync<CatalogItem?>(
            DaprNames.StateStore, [.. ids.Select(StateKeys.Item)], parallelism: null, cancellationToken: cancellationToken);
        IReadOnlyList<CatalogItem> items = [.. found.Select(entry => entry.Value).OfType<CatalogItem>()];
        return (items, ids[^1], hasMore);
    }

    /// <summary>Reserves stock for an order in one ETag-guarded write of the item record.</summary>
    public async Task<(ReserveOutcome Outcome, CatalogItem? Item)> ReserveAsync(
        string id, string orderId, int quantity, CancellationToken cancellationToken)
    {
        var (applied, result) = await writer.UpdateAsync<CatalogItem, (ReserveOutcome, CatalogItem?)>(
            StateKeys.Item(id),
            current =>
            {
                if (current is null)
                {
                    return new(false, null, (ReserveOutcome.ItemNotFound, null));
                }

                var outcome = current.Reserve(orderId, quantity, out var updated);
                return new(outcome == ReserveOutcome.Reserved, updated, (outcome, updated));
            },
            cancellationToken);
        if (!applied)
        {
            return (ReserveOutcome.Contended, null);
        }

        if (result.Item1 == ReserveOutcome.Reserved)
        {
            LogReserved(logger, quantity, id, orderId, result.Item2!.Stock);
        }

        return result;
    }

    /// <summary>Gives an order's stock back; <c>false</c> only when the item stayed contended.</summary>
    public async Task<bool> ReleaseAsync(string id, string orderId, CancellationToken cancellationToken)
    {
        var (applied, released) = await writer.UpdateAsync<CatalogItem, bool>(
            StateKeys.Item(id),
            current => current is not null && current.Release(orderId, out var updated)
                ? new(true, updated, true)
                : new(false, null, false),
            cancellationToken);
        if (applied && released)
        {
            LogReleased(logger, id, orderId);
        }

        return applied;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Item {ItemId} {Outcome}")]
    private static partial void LogUpserted(ILogger logger, string itemId, UpsertOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reserved {Quantity} of {ItemId} for order {OrderId}; {Stock} left")]
    private static partial void LogReserved(ILogger logger, int quantity, string itemId, string orderId, int stock);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released the reservation of order {OrderId} on {ItemId}")]
    private static partial void LogReleased(ILogger logger, string itemId, string orderId);
}

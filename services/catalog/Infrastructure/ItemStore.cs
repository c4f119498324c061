using Catalog.Domain;
using Contracts;
using Dapr.Client;

namespace Catalog.Infrastructure;

/// <summary>
/// Items and the id index in the Dapr state store. The index is written before an item is created and after it is
/// deleted, so every stored item is listed; ids whose item is gone are skipped when listing.
/// </summary>
internal sealed partial class ItemStore(DaprClient dapr, OptimisticWriter writer, ILogger<ItemStore> logger)
{
    public Task<CatalogItem?> FindAsync(string id, CancellationToken cancellationToken) =>
        dapr.GetStateAsync<CatalogItem?>(DaprNames.StateStore, StateKeys.Item(id), cancellationToken: cancellationToken);

    public async Task<(UpsertOutcome Outcome, CatalogItem? Item)> UpsertAsync(
        string id, string name, decimal price, int stock, CancellationToken cancellationToken)
    {
        if (!await UpdateIndexAsync(index => index.Add(id), cancellationToken))
        {
            return (UpsertOutcome.Contended, null);
        }

        var (applied, result) = await writer.UpdateAsync<CatalogItem, (UpsertOutcome, CatalogItem)>(
            StateKeys.Item(id),
            current => current is null
                ? Write(CatalogItem.Create(id, name, price, stock), UpsertOutcome.Created)
                : Write(current.Replace(name, price, stock), UpsertOutcome.Replaced),
            cancellationToken);
        if (!applied)
        {
            return (UpsertOutcome.Contended, null);
        }

        LogUpserted(logger, id, result.Item1);
        return result;

        static OptimisticWriter.Decision<CatalogItem, (UpsertOutcome, CatalogItem)> Write(CatalogItem item, UpsertOutcome outcome) =>
            new(true, item, (outcome, item));
    }

    /// <summary>Deletes the item and its index entry; <c>false</c> when the index stayed contended.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await dapr.DeleteStateAsync(DaprNames.StateStore, StateKeys.Item(id), cancellationToken: cancellationToken);
        return await UpdateIndexAsync(index => index.Remove(id), cancellationToken);
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

    private async Task<bool> UpdateIndexAsync(Func<ItemIndex, ItemIndex> change, CancellationToken cancellationToken)
    {
        var (applied, _) = await writer.UpdateAsync<ItemIndex, bool>(
            StateKeys.Index,
            current =>
            {
                var index = current ?? ItemIndex.Empty;
                var updated = change(index);
                return new(!ReferenceEquals(updated, index) || current is null, updated, true);
            },
            cancellationToken);
        return applied;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Item {ItemId} {Outcome}")]
    private static partial void LogUpserted(ILogger logger, string itemId, UpsertOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reserved {Quantity} of {ItemId} for order {OrderId}; {Stock} left")]
    private static partial void LogReserved(ILogger logger, int quantity, string itemId, string orderId, int stock);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released the reservation of order {OrderId} on {ItemId}")]
    private static partial void LogReleased(ILogger logger, string itemId, string orderId);
}

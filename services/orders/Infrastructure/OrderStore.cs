using Contracts;
using Dapr;
using Dapr.Client;
using Orders.Models;

namespace Orders.Infrastructure;

/// <summary>The order records in the Dapr state store: first-write creation and ETag-guarded updates.</summary>
public sealed class OrderStore(DaprClient dapr)
{
    private const int MaxUpdateAttempts = 5;

    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    public static string Key(string orderId) => $"order:{orderId}";

    public async Task<Order?> GetAsync(string orderId, CancellationToken cancellationToken) =>
        await dapr.GetStateAsync<Order?>(DaprNames.StateStore, Key(orderId), cancellationToken: cancellationToken);

    /// <summary>
    /// Saves <paramref name="order"/> unless a record with its id exists. Returns whether this call created it and the
    /// record that is stored now, so exactly one of two concurrent callers sees <c>Created = true</c>.
    /// </summary>
    public async Task<(bool Created, Order Stored)> CreateAsync(Order order, CancellationToken cancellationToken)
    {
        if (await GetAsync(order.OrderId, cancellationToken) is { } existing)
        {
            return (false, existing);
        }

        try
        {
            // First-write without an ETag fails when the key exists: the check above is only a fast path.
            await dapr.SaveStateAsync(DaprNames.StateStore, Key(order.OrderId), order, FirstWrite, cancellationToken: cancellationToken);
            return (true, order);
        }
        catch (DaprException)
        {
            var winner = await GetAsync(order.OrderId, cancellationToken);
            if (winner is null)
            {
                throw;
            }

            return (false, winner);
        }
    }

    /// <summary>Applies <paramref name="change"/> to the stored record, re-reading and retrying when another writer got there first.</summary>
    public async Task<Order> UpdateAsync(string orderId, Func<Order, Order> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxUpdateAttempts; attempt++)
        {
            var (current, etag) = await dapr.GetStateAndETagAsync<Order?>(
                DaprNames.StateStore, Key(orderId), cancellationToken: cancellationToken);
            if (current is null)
            {
                throw new InvalidOperationException($"Order '{orderId}' has no record in the state store.");
            }

            var updated = change(current);
            if (await dapr.TrySaveStateAsync(DaprNames.StateStore, Key(orderId), updated, etag, cancellationToken: cancellationToken))
            {
                return updated;
            }
        }

        throw new InvalidOperationException($"Order '{orderId}' kept changing under {MaxUpdateAttempts} update attempts.");
    }

    public Task DeleteAsync(string orderId, CancellationToken cancellationToken) =>
        dapr.DeleteStateAsync(DaprNames.StateStore, Key(orderId), cancellationToken: cancellationToken);
}

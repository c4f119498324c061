using Contracts;
using Dapr.Client;
using Orders.Models;
using ServiceDefaults.State;

namespace Orders.Infrastructure;

/// <summary>
/// The order records in the Dapr state store: create-if-missing and guarded updates, both through the shared
/// <see cref="OptimisticState"/> (ETag checks on one key, re-read and retried when another writer got there first).
/// Records are never deleted, so a stale ETag on state.redis cannot recreate one.
/// </summary>
public sealed class OrderStore(DaprClient dapr, OptimisticState state)
{
    public static string Key(string orderId) => $"order:{orderId}";

    public async Task<Order?> GetAsync(string orderId, CancellationToken cancellationToken) =>
        await dapr.GetStateAsync<Order?>(DaprNames.StateStore, Key(orderId), cancellationToken: cancellationToken);

    /// <summary>
    /// Saves <paramref name="order"/> unless a record with its id exists. Returns whether this call created it and the
    /// record that is stored now, so exactly one of two concurrent callers sees <c>Created = true</c>.
    /// </summary>
    public Task<(bool Created, Order Stored)> CreateAsync(Order order, CancellationToken cancellationToken) =>
        state.UpdateAsync<Order, (bool, Order)>(DaprNames.StateStore, Key(order.OrderId),
            current => current is null
                ? StateChange<Order, (bool, Order)>.Write(order, (true, order))
                : StateChange<Order, (bool, Order)>.Keep((false, current)),
            cancellationToken);

    /// <summary>Applies <paramref name="change"/> to the stored record, re-reading and retrying when another writer got there first.</summary>
    public Task<Order> UpdateAsync(string orderId, Func<Order, Order> change, CancellationToken cancellationToken) =>
        state.UpdateAsync<Order, Order>(DaprNames.StateStore, Key(orderId), current =>
        {
            var updated = change(current ?? throw new InvalidOperationException($"Order '{orderId}' has no record in the state store."));
            return StateChange<Order, Order>.Write(updated, updated);
        }, cancellationToken);
}

using System.Text;
using Contracts;
using Dapr.Client;
using Notifications.Models;
using ServiceDefaults.State;

namespace Notifications.Infrastructure;

/// <summary>
/// Notifications in the Dapr state store: one key per notification, created only if missing so a redelivered event is
/// recorded once, plus capped indexes of the most recent ones: one per order, and the index of all of them spread over
/// <see cref="AllBuckets"/> keys (by notification id) so concurrent deliveries rarely write the same key. Each bucket
/// keeps its <see cref="IndexCap"/> most recent, so together they always hold the overall most recent
/// <see cref="IndexCap"/>. Every write is a single-key ETag-guarded one and no key is ever deleted, so nothing here
/// needs more than what every Dapr store (Redis included) keeps.
/// </summary>
public sealed class NotificationStore(DaprClient dapr, OptimisticState state)
{
    /// <summary>An index keeps the most recent entries only, so reading it stays cheap.</summary>
    public const int IndexCap = 200;

    /// <summary>How many keys the index of all notifications is spread over (part of the stored data's shape).</summary>
    public const int AllBuckets = 8;

    public static string Key(string notificationId) => $"notification:{notificationId}";

    public static string OrderIndex(string orderId) => $"notifications:by-order:{orderId}";

    public static string AllIndex(int bucket) => $"notifications:all:{bucket:D2}";

    /// <summary>
    /// Records <paramref name="notification"/> unless its id is stored already; returns whether this call recorded it.
    /// The indexes are appended to either way (appending is idempotent), so a redelivery after a partial failure
    /// finishes the work the first delivery started.
    /// </summary>
    public async Task<bool> RecordAsync(Notification notification, CancellationToken cancellationToken)
    {
        var recorded = await state.UpdateAsync<Notification, bool>(DaprNames.StateStore, Key(notification.Id), current =>
            current is null ? StateChange<Notification, bool>.Write(notification, true) : StateChange<Notification, bool>.Keep(false),
            cancellationToken);
        var entry = new NotificationIndexEntry(notification.Id, notification.ReceivedAt);
        await AppendAsync(AllIndex(BucketOf(notification.Id)), entry, cancellationToken);
        if (notification.OrderId is not null)
        {
            await AppendAsync(OrderIndex(notification.OrderId), entry, cancellationToken);
        }

        return recorded;
    }

    /// <summary>The most recent notifications first, all of them or one order's, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Notification>> ListAsync(string? orderId, int limit, CancellationToken cancellationToken)
    {
        var indexKeys = orderId is null ? Enumerable.Range(0, AllBuckets).Select(AllIndex).ToList() : [OrderIndex(orderId)];
        var indexes = await dapr.GetBulkStateAsync<List<NotificationIndexEntry>?>(
            DaprNames.StateStore, indexKeys, parallelism: null, cancellationToken: cancellationToken);
        var keys = indexes.SelectMany(i => i.Value ?? [])
            .OrderByDescending(e => e.ReceivedAt).ThenByDescending(e => e.Id, StringComparer.Ordinal)
            .Take(limit).Select(e => Key(e.Id)).ToList();
        if (keys.Count == 0)
        {
            return [];
        }

        var items = await dapr.GetBulkStateAsync<Notification?>(DaprNames.StateStore, keys, parallelism: null, cancellationToken: cancellationToken);
        return [.. items.Select(i => i.Value).OfType<Notification>().OrderByDescending(n => n.ReceivedAt)];
    }

    private Task AppendAsync(string indexKey, NotificationIndexEntry entry, CancellationToken cancellationToken) =>
        state.UpdateAsync<List<NotificationIndexEntry>, bool>(DaprNames.StateStore, indexKey, current =>
        {
            var entries = current ?? [];
            if (entries.Any(e => e.Id == entry.Id))
            {
                return StateChange<List<NotificationIndexEntry>, bool>.Keep(false);
            }

            entries.Add(entry);
            var capped = entries.OrderByDescending(e => e.ReceivedAt).Take(IndexCap).ToList();
            return capped.Contains(entry)
                ? StateChange<List<NotificationIndexEntry>, bool>.Write(capped, true)
                : StateChange<List<NotificationIndexEntry>, bool>.Keep(false); // older than all it keeps: nothing to add
        }, cancellationToken);

    /// <summary>FNV-1a of the id's UTF-8 bytes: stable across processes, unlike string.GetHashCode.</summary>
    private static int BucketOf(string notificationId)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(notificationId))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash % AllBuckets);
    }
}

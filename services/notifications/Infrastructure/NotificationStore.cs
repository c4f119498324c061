using Contracts;
using Dapr.Client;
using Notifications.Models;

namespace Notifications.Infrastructure;

/// <summary>
/// Notifications in the Dapr state store: one key per notification, written first-write so a redelivered event is
/// recorded once, plus capped id lists (all, and one per order) kept up to date with ETag retries.
/// </summary>
public sealed class NotificationStore(DaprClient dapr)
{
    /// <summary>An index keeps the most recent ids only, so reading it stays cheap.</summary>
    public const int IndexCap = 200;

    private const int MaxIndexAttempts = 10;
    private const string AllIndex = "notifications:all";

    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    public static string Key(string notificationId) => $"notification:{notificationId}";

    public static string OrderIndex(string orderId) => $"notifications:order:{orderId}";

    /// <summary>
    /// Records <paramref name="notification"/> unless its id is stored already; returns whether this call recorded it.
    /// The indexes are appended to either way (appending is idempotent), so a redelivery after a partial failure
    /// finishes the work the first delivery started.
    /// </summary>
    public async Task<bool> RecordAsync(Notification notification, CancellationToken cancellationToken)
    {
        var recorded = await TryCreateAsync(notification, cancellationToken);
        await AppendAsync(AllIndex, notification.Id, cancellationToken);
        if (notification.OrderId is not null)
        {
            await AppendAsync(OrderIndex(notification.OrderId), notification.Id, cancellationToken);
        }

        return recorded;
    }

    /// <summary>The most recent notifications first, all of them or one order's, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Notification>> ListAsync(string? orderId, int limit, CancellationToken cancellationToken)
    {
        var ids = await dapr.GetStateAsync<List<string>?>(
            DaprNames.StateStore, orderId is null ? AllIndex : OrderIndex(orderId), cancellationToken: cancellationToken);
        var keys = (ids ?? []).AsEnumerable().Reverse().Take(limit).Select(Key).ToList();
        if (keys.Count == 0)
        {
            return [];
        }

        var items = await dapr.GetBulkStateAsync<Notification?>(DaprNames.StateStore, keys, parallelism: null, cancellationToken: cancellationToken);
        return [.. items.Select(i => i.Value).OfType<Notification>().OrderByDescending(n => n.ReceivedAt)];
    }

    /// <summary>
    /// Writes the notification only if its key does not exist yet: an empty ETag under first-write means exactly that,
    /// so of two concurrent deliveries of one event only one gets <c>true</c>.
    /// </summary>
    private Task<bool> TryCreateAsync(Notification notification, CancellationToken cancellationToken) =>
        dapr.TrySaveStateAsync(DaprNames.StateStore, Key(notification.Id), notification, etag: "", FirstWrite,
            cancellationToken: cancellationToken);

    private async Task AppendAsync(string indexKey, string id, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxIndexAttempts; attempt++)
        {
            var (ids, etag) = await dapr.GetStateAndETagAsync<List<string>?>(
                DaprNames.StateStore, indexKey, cancellationToken: cancellationToken);
            ids ??= [];
            if (ids.Contains(id))
            {
                return;
            }

            ids.Add(id);
            if (ids.Count > IndexCap)
            {
                ids.RemoveRange(0, ids.Count - IndexCap);
            }

            // The ETag read above guards the write; empty (no index yet) under first-write means "only if still missing".
            if (await dapr.TrySaveStateAsync(DaprNames.StateStore, indexKey, ids, etag, FirstWrite, cancellationToken: cancellationToken))
            {
                return;
            }
        }

        throw new InvalidOperationException($"Index '{indexKey}' kept changing under {MaxIndexAttempts} attempts to add '{id}'.");
    }
}

using Contracts;
using Dapr;
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

    private async Task<bool> TryCreateAsync(Notification notification, CancellationToken cancellationToken)
    {
        var key = Key(notification.Id);
        if (await dapr.GetStateAsync<Notification?>(DaprNames.StateStore, key, cancellationToken: cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            await dapr.SaveStateAsync(DaprNames.StateStore, key, notification, FirstWrite, cancellationToken: cancellationToken);
            return true;
        }
        catch (DaprException)
        {
            // A concurrent redelivery may have written it between the read and the first-write; anything else is real.
            if (await dapr.GetStateAsync<Notification?>(DaprNames.StateStore, key, cancellationToken: cancellationToken) is null)
            {
                throw;
            }

            return false;
        }
    }

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

            if (await TrySaveIndexAsync(indexKey, ids, etag, cancellationToken))
            {
                return;
            }
        }

        throw new InvalidOperationException($"Index '{indexKey}' kept changing under {MaxIndexAttempts} attempts to add '{id}'.");
    }

    /// <summary>ETag-guarded write; a missing index is created with first-write so two creators cannot both win.</summary>
    private async Task<bool> TrySaveIndexAsync(string indexKey, List<string> ids, string etag, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(etag))
        {
            return await dapr.TrySaveStateAsync(DaprNames.StateStore, indexKey, ids, etag, cancellationToken: cancellationToken);
        }

        try
        {
            await dapr.SaveStateAsync(DaprNames.StateStore, indexKey, ids, FirstWrite, cancellationToken: cancellationToken);
            return true;
        }
        catch (DaprException)
        {
            // Lost the race to create it: read again and retry. Anything else is real.
            if (await dapr.GetStateAsync<List<string>?>(DaprNames.StateStore, indexKey, cancellationToken: cancellationToken) is null)
            {
                throw;
            }

            return false;
        }
    }
}

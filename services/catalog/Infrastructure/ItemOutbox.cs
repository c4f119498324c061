using System.Text.Json;
using Catalog.Domain;
using Contracts;
using Dapr.Client;
using ServiceDefaults.State;

namespace Catalog.Infrastructure;

/// <summary>
/// Writes an item so that <c>item.upserted</c> goes out exactly when the write commits: one transaction on
/// <see cref="DaprNames.CatalogStore"/>, whose outbox (component metadata <c>outboxPublishPubsub</c>,
/// <c>outboxPublishTopic</c>) has the sidecar publish it after the commit. The stored record (with reservations) is not
/// what subscribers get: an <c>outbox.projection</c> of the same key carries the public <see cref="ItemUpserted"/>.
/// </summary>
internal sealed class ItemOutbox(DaprClient dapr)
{
    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    // daprd copies the metadata of the written upsert into the CloudEvent as top-level attributes, so "type" sets its
    // type; the projection's contentType makes the data JSON rather than a string.
    private static readonly Dictionary<string, string> EventAttributes = new() { ["type"] = DaprNames.EventTypes.ItemUpserted };
    private static readonly Dictionary<string, string> Projection = new()
    {
        ["outbox.projection"] = "true",
        ["contentType"] = "application/json",
    };

    /// <summary>
    /// Writes <paramref name="item"/> over the record read with <paramref name="etag"/>; <c>false</c> when another write
    /// got there first. The key always exists here (see <see cref="CatalogItem"/>), so the ETag check is sound on every
    /// store, and the transaction has one write, so it cannot half-apply. (first-write: last-write would make
    /// <c>state.redis</c> ignore the ETag.)
    /// </summary>
    public Task<bool> TryWriteAsync(CatalogItem item, string etag, CancellationToken cancellationToken)
    {
        var key = StateKeys.Item(item.Id);
        var published = new ItemUpserted(item.Id, item.Name, item.Price, item.Stock);
        return OptimisticState.TryGuardedAsync(() => dapr.ExecuteStateTransactionAsync(DaprNames.CatalogStore,
        [
            new StateTransactionRequest(key, Serialize(item), StateOperationType.Upsert, etag, EventAttributes, FirstWrite),
            new StateTransactionRequest(key, Serialize(published), StateOperationType.Upsert, metadata: Projection),
        ], cancellationToken: cancellationToken));
    }

    private byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, dapr.JsonSerializerOptions);
}

using Dapr.Client;

namespace TestDoubles;

/// <summary>
/// Dapr's transactional outbox on a state store (component metadata <c>outboxPublishPubsub</c>/<c>outboxPublishTopic</c>),
/// as daprd runs it: operations marked <c>outbox.projection: "true"</c> are taken out of the transaction, and every
/// remaining upsert is published with the projection of its key (if any) as data and its own metadata as CloudEvent
/// fields. daprd then writes a marker key in the same transaction and publishes once the marker is found; on Redis
/// that marker op is applied even when another op of the transaction fails its ETag check, so the event goes out
/// then too, and this double publishes it likewise.
/// </summary>
public sealed partial class FakeDaprClient
{
    private const string ProjectionKey = "outbox.projection";
    private readonly Dictionary<string, (string PubSub, string Topic)> _outboxes = new(StringComparer.Ordinal);

    /// <summary>Gives <paramref name="storeName"/> an outbox publishing to <paramref name="pubsubName"/>/<paramref name="topic"/>.</summary>
    public void ConfigureOutbox(string storeName, string pubsubName, string topic)
    {
        lock (_gate)
        {
            _outboxes[storeName] = (pubsubName, topic);
        }
    }

    /// <summary>Publishes the transaction's upserts when the store has an outbox; returns the operations left for the store.</summary>
    private List<StateTransactionRequest> PublishThroughOutbox(string storeName, IReadOnlyList<StateTransactionRequest> operations)
    {
        if (!_outboxes.TryGetValue(storeName, out var outbox))
        {
            return [.. operations];
        }

        var projections = new Dictionary<string, StateTransactionRequest>(StringComparer.Ordinal);
        foreach (var op in operations.Where(IsProjection))
        {
            // The first projection of a key is the one used.
            projections.TryAdd(op.Key, op);
        }

        var stateOperations = operations.Where(op => !IsProjection(op)).ToList();
        foreach (var op in stateOperations.Where(op => op.OperationType == StateOperationType.Upsert))
        {
            var data = projections.TryGetValue(op.Key, out var projection) ? projection.Value : op.Value;
            _published.Add(new PublishedEvent(outbox.PubSub, outbox.Topic, data ?? [],
                new Dictionary<string, string>(op.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal)));
        }

        return stateOperations;
    }

    private static bool IsProjection(StateTransactionRequest op) =>
        op.OperationType == StateOperationType.Upsert && op.Metadata is not null
        && op.Metadata.TryGetValue(ProjectionKey, out var value) && bool.TryParse(value, out var projection) && projection;
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Sidecar.Components.State;
using Sidecar.PubSub.Publishing;

namespace Sidecar.State.Outbox;

/// <summary>One committed upsert's event: the record that carries it through the store, and its CloudEvent.</summary>
internal sealed record OutboxEvent(string RecordKey, byte[] CloudEvent)
{
    /// <summary>The write that puts the record into the transaction.</summary>
    public StateSetOperation ToOperation() => new(RecordKey, CloudEvent, null, Concurrency.LastWrite, null, CloudEventBuilder.CloudEventContentType);
}

/// <summary>
/// Turns a transaction on an outbox store into what is written and what is published, as daprd does: every upsert is
/// published (deletes are not); an upsert whose metadata has <c>outbox.projection</c> true is not written but replaces
/// the published value of the upsert of the same key (the first projection of a key wins); every metadata entry of the
/// written upsert is copied into the CloudEvent as a top-level attribute, except <c>data</c> and <c>id</c> (so
/// <c>type</c>, <c>source</c> and <c>subject</c> override Dapr's). The event id is <c>outbox-{uuid}</c>, kept across
/// retries. Each event becomes a record, written in the same transaction, under
/// <c>dapr-outbox||{appId}||{store}||{event id}</c>: a key no app can reach (app keys cannot contain <c>||</c>).
/// </summary>
internal static class OutboxPlan
{
    public const string ProjectionKey = "outbox.projection";
    private const string RecordRoot = "dapr-outbox||";

    /// <summary>Where the records of <paramref name="appId"/>'s store <paramref name="store"/> live.</summary>
    public static string RecordPrefix(string appId, string store) => $"{RecordRoot}{appId}||{store}||";

    public static (IReadOnlyList<StateRequest> Apply, IReadOnlyList<OutboxEvent> Events) Create(
        IReadOnlyList<StateRequest> operations, OutboxSettings settings, string appId, string store, DateTimeOffset now)
    {
        var projections = new Dictionary<string, StateSaveRequest>(StringComparer.Ordinal);
        var apply = new List<StateRequest>();
        foreach (var operation in operations)
        {
            if (operation is StateSaveRequest save && IsProjection(save))
            {
                projections.TryAdd(save.Key, save);
            }
            else
            {
                apply.Add(operation);
            }
        }

        foreach (var key in projections.Keys.Where(k => !apply.Any(o => o is StateSaveRequest && o.Key == k)))
        {
            throw StateErrors.Malformed($"outbox projection for key '{key}' has no upsert of the same key in the transaction").ToException();
        }

        var events = apply.OfType<StateSaveRequest>()
            .Select(save => ToEvent(save, projections.GetValueOrDefault(save.Key), settings, appId, store, now))
            .ToList();
        return (apply, events);
    }

    private static bool IsProjection(StateSaveRequest save) =>
        save.Metadata.TryGetValue(ProjectionKey, out var value)
        && value.Trim().ToLowerInvariant() is "1" or "true" or "t" or "yes" or "y" or "on";

    private static OutboxEvent ToEvent(
        StateSaveRequest save, StateSaveRequest? projection, OutboxSettings settings, string appId, string store, DateTimeOffset now)
    {
        var published = projection ?? save;
        var contentType = published.Metadata.GetValueOrDefault(StateMetadata.ContentType);
        var envelope = CloudEventBuilder.Build(
            new PublishRequest(settings.PublishPubSub, settings.PublishTopic, published.Value, contentType, new Dictionary<string, string>()),
            appId, now);
        var cloudEvent = JsonNode.Parse(envelope)!.AsObject();
        var id = "outbox-" + Guid.NewGuid().ToString();
        cloudEvent["id"] = id;
        foreach (var (name, value) in save.Metadata)
        {
            if (name is not ("data" or "id"))
            {
                cloudEvent[name] = value;
            }
        }

        return new OutboxEvent(RecordPrefix(appId, store) + id, JsonSerializer.SerializeToUtf8Bytes(cloudEvent));
    }
}

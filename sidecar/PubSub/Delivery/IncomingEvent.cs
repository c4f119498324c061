using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sidecar.Components.PubSub;
using Sidecar.PubSub.Publishing;

namespace Sidecar.PubSub.Delivery;

/// <summary>
/// A message from the broker as the app will get it: the CloudEvent (for routing and logs) and the bytes to POST.
/// A subscription with <c>rawPayload=true</c> gets the broker's bytes wrapped in a CloudEvent (<c>data_base64</c>,
/// source <c>Dapr</c>), as daprd does (components-contrib <c>pubsub/envelope.go</c> FromRawPayload).
/// </summary>
internal sealed record IncomingEvent(JsonObject CloudEvent, byte[] Body)
{
    public string Id => Text("id") ?? "";

    public string? TraceParent => Text("traceparent") ?? Text("traceid");

    public string? TraceState => Text("tracestate");

    /// <summary>Reads <paramref name="message"/>; throws <see cref="JsonException"/> when it is not a CloudEvent.</summary>
    public static IncomingEvent Read(PubSubMessage message, string pubSubName, bool rawPayload)
    {
        if (rawPayload)
        {
            var wrapped = new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["specversion"] = "1.0",
                ["source"] = CloudEventBuilder.DefaultSource,
                ["type"] = CloudEventBuilder.DefaultType,
                ["datacontenttype"] = "application/octet-stream",
                ["topic"] = message.Topic,
                ["pubsubname"] = pubSubName,
                ["data_base64"] = Convert.ToBase64String(message.Data),
            };
            return new IncomingEvent(wrapped, JsonSerializer.SerializeToUtf8Bytes(wrapped));
        }

        var cloudEvent = JsonNode.Parse(message.Data) as JsonObject
            ?? throw new JsonException($"the message on topic '{message.Topic}' is not a CloudEvent (a JSON object)");
        return new IncomingEvent(cloudEvent, message.Data);
    }

    /// <summary>True when the event carries an <c>expiration</c> (from <c>ttlInSeconds</c>) that has passed.</summary>
    public bool HasExpired(DateTimeOffset now) =>
        Text("expiration") is { } expiration
        && DateTimeOffset.TryParse(expiration, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
        && at < now;

    private string? Text(string field) =>
        CloudEvent[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}

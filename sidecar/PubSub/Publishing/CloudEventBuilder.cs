using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sidecar.AppChannel;

namespace Sidecar.PubSub.Publishing;

/// <summary>
/// Wraps a published payload in a CloudEvent 1.0 envelope the way daprd does: JSON payloads under <c>data</c>, text
/// as a string under <c>data</c>, anything else base64 under <c>data_base64</c>. A payload that already is a
/// CloudEvent (<c>application/cloudevents+json</c>) keeps its fields; only missing ones are filled. Metadata
/// <c>cloudevent.id|source|type|subject|traceparent|tracestate</c> overrides the envelope.
/// </summary>
public static class CloudEventBuilder
{
    public const string CloudEventContentType = "application/cloudevents+json";
    public const string DefaultType = "com.dapr.event.sent";
    public const string DefaultDataContentType = "text/plain";
    private const string OverridePrefix = "cloudevent.";
    private static readonly string[] Overridable = ["id", "source", "type", "subject", "traceid", "traceparent", "tracestate"];

    /// <summary>The envelope bytes to hand to the broker.</summary>
    public static byte[] Build(PublishRequest request, string sourceAppId, DateTimeOffset now)
    {
        var contentType = string.IsNullOrWhiteSpace(request.ContentType) ? DefaultDataContentType : request.ContentType;
        var traceParent = TraceContext.OrNew(request.TraceParent);

        JsonObject envelope;
        if (IsCloudEvent(contentType))
        {
            envelope = JsonNode.Parse(request.Data.Span) as JsonObject
                ?? throw new JsonException("an application/cloudevents+json payload must be a JSON object");
        }
        else
        {
            envelope = new JsonObject { ["datacontenttype"] = contentType };
            AddData(envelope, request.Data, contentType);
        }

        FillMissing(envelope, "id", Guid.NewGuid().ToString());
        FillMissing(envelope, "specversion", "1.0");
        FillMissing(envelope, "source", sourceAppId);
        FillMissing(envelope, "type", DefaultType);
        FillMissing(envelope, "time", now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        FillMissing(envelope, "traceid", traceParent);
        FillMissing(envelope, "traceparent", traceParent);
        FillMissing(envelope, "tracestate", request.TraceState ?? "");
        envelope["topic"] = request.Topic;
        envelope["pubsubname"] = request.PubSubName;

        foreach (var field in Overridable)
        {
            if (request.Metadata.TryGetValue(OverridePrefix + field, out var value) && !string.IsNullOrEmpty(value))
            {
                envelope[field] = value;
            }
        }

        if (request.Metadata.TryGetValue("ttlInSeconds", out var ttl)
            && long.TryParse(ttl, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            envelope["expiration"] = now.AddSeconds(seconds).ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        }

        return JsonSerializer.SerializeToUtf8Bytes(envelope);
    }

    /// <summary>True for <c>rawPayload=true</c>: the bytes go to the broker as they are.</summary>
    public static bool IsRawPayload(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue("rawPayload", out var raw) && bool.TryParse(raw, out var isRaw) && isRaw;

    public static bool IsCloudEvent(string? contentType) =>
        contentType is not null && MediaType(contentType).Equals(CloudEventContentType, StringComparison.OrdinalIgnoreCase);

    public static bool IsJson(string contentType)
    {
        var media = MediaType(contentType);
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsText(string contentType)
    {
        var media = MediaType(contentType);
        return media.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+xml", StringComparison.OrdinalIgnoreCase);
    }

    private static string MediaType(string contentType) => contentType.Split(';', 2)[0].Trim();

    private static void AddData(JsonObject envelope, ReadOnlyMemory<byte> data, string contentType)
    {
        if (IsJson(contentType))
        {
            try
            {
                envelope["data"] = JsonNode.Parse(data.Span);
                return;
            }
            catch (JsonException)
            {
                // Labelled JSON but is not: daprd keeps it as a string rather than failing the publish.
                envelope["data"] = Encoding.UTF8.GetString(data.Span);
                return;
            }
        }

        if (IsText(contentType))
        {
            envelope["data"] = Encoding.UTF8.GetString(data.Span);
            return;
        }

        envelope["data_base64"] = Convert.ToBase64String(data.Span);
    }

    private static void FillMissing(JsonObject envelope, string field, string value)
    {
        if (envelope[field] is null)
        {
            envelope[field] = value;
        }
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sidecar.AppChannel;

namespace Sidecar.PubSub.Publishing;

/// <summary>
/// Wraps a published payload in a CloudEvent 1.0 envelope the way daprd does, choosing the <c>data</c> field by content
/// type as components-contrib's <c>contenttype</c> helpers do: only <c>application/json</c> (parameters allowed) is
/// parsed as JSON under <c>data</c>; <c>application/octet-stream</c> and protobuf CloudEvents
/// (<see cref="ProtobufCloudEvent"/>) go base64 under <c>data_base64</c>; every other
/// type (text, XML, <c>application/x-www-form-urlencoded</c>, even <c>+json</c> types) is a string under <c>data</c>.
/// A payload that already is a CloudEvent (<c>application/cloudevents+json</c>) keeps its fields; only missing ones are
/// filled. Metadata <c>cloudevent.id|source|type|subject|traceparent|tracestate</c> overrides the envelope.
/// </summary>
/// <remarks>
/// components-contrib <c>contenttype/utils.go</c> (IsJSONContentType, IsBinaryContentType) and
/// <c>pubsub/envelope.go</c> NewCloudEventsEnvelope / FromCloudEvent.
/// </remarks>
public static class CloudEventBuilder
{
    public const string CloudEventContentType = "application/cloudevents+json";
    public const string DefaultType = "com.dapr.event.sent";
    public const string DefaultDataContentType = "text/plain";

    /// <summary>components-contrib's <c>DefaultCloudEventSource</c>: the source of events daprd did not get from an app.</summary>
    public const string DefaultSource = "Dapr";
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
            // The app's own event without a source is daprd's, not the app's (FromCloudEvent).
            FillMissing(envelope, "source", DefaultSource);
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
        contentType is not null && IsMediaType(contentType, CloudEventContentType);

    /// <summary>
    /// <c>application/json</c>, alone or with parameters, and nothing else (components-contrib IsJSONContentType;
    /// <c>application/problem+json</c> is not JSON to daprd).
    /// </summary>
    public static bool IsJson(string contentType) => IsMediaType(contentType, "application/json");

    /// <summary><c>application/octet-stream</c>, alone or with parameters (components-contrib IsBinaryContentType).</summary>
    public static bool IsBinary(string contentType) => IsMediaType(contentType, "application/octet-stream");

    /// <summary><c>text/*</c> or <c>application/xml</c> (components-contrib IsStringContentType).</summary>
    public static bool IsString(string contentType) =>
        contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || IsMediaType(contentType, "application/xml");

    // As contenttype.isContentType: the whole value, or what precedes the first ';', compared without case; no trimming.
    internal static bool IsMediaType(string contentType, string expected)
    {
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var media = semicolon >= 0 ? contentType[..semicolon] : contentType;
        return media.Equals(expected, StringComparison.OrdinalIgnoreCase);
    }

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

        if (IsBinary(contentType) || ProtobufCloudEvent.Is(contentType, data.Span))
        {
            envelope["data_base64"] = Convert.ToBase64String(data.Span);
            return;
        }

        envelope["data"] = Encoding.UTF8.GetString(data.Span);
    }

    private static void FillMissing(JsonObject envelope, string field, string value)
    {
        if (envelope[field] is null)
        {
            envelope[field] = value;
        }
    }
}

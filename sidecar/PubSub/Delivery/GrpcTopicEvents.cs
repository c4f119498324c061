using System.Text.Json;
using System.Text.Json.Nodes;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Sidecar.PubSub.Delivery;

/// <summary>
/// A CloudEvent as a gRPC app gets it: the envelope fields daprd copies into <c>TopicEventRequest</c> /
/// <c>TopicEventCERequest</c>, <c>data</c> by content type (string types as their text, JSON types as JSON bytes,
/// <c>data_base64</c> decoded, anything else empty), and every other attribute in <c>extensions</c>.
/// </summary>
// dapr/dapr pkg/runtime/pubsub/subscriptions.go GRPCEnvelopeFromSubscriptionMessage, extractCloudEvent, ExtractCloudEventExtensions
internal static class GrpcTopicEvents
{
    // Attributes that have their own field and are left out of extensions.
    private static readonly HashSet<string> EnvelopeFields = new(StringComparer.Ordinal)
    {
        "id", "source", "datacontenttype", "type", "specversion", "data", "data_base64",
    };

    /// <summary>The request for one event; <paramref name="path"/> is the matched route, <c>""</c> for a gRPC default route.</summary>
    public static TopicEventRequest Request(JsonObject cloudEvent, string topic, string pubSubName, string path)
    {
        var request = new TopicEventRequest
        {
            Id = Text(cloudEvent, "id"),
            Source = Text(cloudEvent, "source"),
            DataContentType = Text(cloudEvent, "datacontenttype"),
            Type = Text(cloudEvent, "type"),
            SpecVersion = Text(cloudEvent, "specversion"),
            Topic = topic,
            PubsubName = pubSubName,
            Path = path,
            Data = Data(cloudEvent),
            Extensions = Extensions(cloudEvent),
        };
        return request;
    }

    /// <summary>The CloudEvent of one bulk entry.</summary>
    public static TopicEventCERequest CloudEvent(JsonObject cloudEvent) => new()
    {
        Id = Text(cloudEvent, "id"),
        Source = Text(cloudEvent, "source"),
        DataContentType = Text(cloudEvent, "datacontenttype"),
        Type = Text(cloudEvent, "type"),
        SpecVersion = Text(cloudEvent, "specversion"),
        Data = Data(cloudEvent),
        Extensions = Extensions(cloudEvent),
    };

    /// <summary>daprd's default route for a gRPC subscription is the empty path; this sidecar routes it as <c>/</c>.</summary>
    public static string PathForApp(string path) => path == "/" ? "" : path;

    private static ByteString Data(JsonObject cloudEvent)
    {
        if (cloudEvent["data_base64"] is JsonValue base64)
        {
            // A data_base64 that is not a base64 string is retried by daprd; here it cannot be delivered either.
            return ByteString.CopyFrom(Convert.FromBase64String(base64.GetValue<string>()));
        }

        if (cloudEvent["data"] is not { } data)
        {
            return ByteString.Empty;
        }

        var contentType = Text(cloudEvent, "datacontenttype");
        if (IsStringContentType(contentType))
        {
            return data is JsonValue value && value.TryGetValue<string>(out var text)
                ? ByteString.CopyFromUtf8(text)
                : throw new FormatException($"the event's data is not a string, as its content type '{contentType}' says");
        }

        return IsJsonContentType(contentType)
            ? ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(data))
            : ByteString.Empty;
    }

    private static Struct Extensions(JsonObject cloudEvent)
    {
        var extensions = new JsonObject();
        foreach (var (key, value) in cloudEvent)
        {
            if (!EnvelopeFields.Contains(key))
            {
                extensions[key] = value?.DeepClone();
            }
        }

        return JsonParser.Default.Parse<Struct>(extensions.ToJsonString());
    }

    // components-contrib contenttype.IsStringContentType: text/* and XML.
    private static bool IsStringContentType(string contentType)
    {
        var media = MediaType(contentType);
        return media.StartsWith("text/", StringComparison.Ordinal) || media is "application/xml" || media.EndsWith("+xml", StringComparison.Ordinal);
    }

    // contenttype.IsJSONContentType / IsCloudEventContentType.
    private static bool IsJsonContentType(string contentType) =>
        MediaType(contentType) is "application/json" or "application/cloudevents+json";

    private static string MediaType(string contentType) => contentType.Split(';', 2)[0].Trim().ToLowerInvariant();

    private static string Text(JsonObject cloudEvent, string field) =>
        cloudEvent[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
}

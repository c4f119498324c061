using System.Text.Json;
using StackExchange.Redis;

namespace Sidecar.Components.PubSub;

/// <summary>
/// A message as components-contrib's <c>pubsub.redis</c> stores a stream entry, so daprd and this sidecar can share a
/// stream: field <c>data</c> holds the bytes (the CloudEvent), field <c>metadata</c> the publish metadata as a JSON
/// object of strings. Nothing else is stored; the content type is implied (CloudEvent unless <c>rawPayload</c>).
/// </summary>
internal static class RedisStreamFields
{
    public const string Data = "data";
    public const string Metadata = "metadata";

    public static NameValueEntry[] Encode(PubSubMessage message) =>
    [
        new(Data, message.Data),
        new(Metadata, JsonSerializer.Serialize(message.Metadata)),
    ];

    /// <summary>The message of <paramref name="entry"/>; unreadable metadata is reported through <paramref name="badMetadata"/> and left out.</summary>
    public static PubSubMessage Decode(string topic, StreamEntry entry, Action<string> badMetadata)
    {
        var data = entry[Data];
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var json = entry[Metadata];
        if (!json.IsNullOrEmpty)
        {
            try
            {
                foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string?>>(json.ToString()) ?? [])
                {
                    if (value is not null)
                    {
                        metadata[key] = value;
                    }
                }
            }
            catch (JsonException ex)
            {
                badMetadata(ex.Message);
            }
        }

        var raw = metadata.TryGetValue("rawPayload", out var flag) && bool.TryParse(flag, out var isRaw) && isRaw;
        var contentType = raw ? "application/octet-stream" : "application/cloudevents+json";
        return new PubSubMessage(topic, data.IsNull ? [] : (byte[])data!, contentType, metadata);
    }
}

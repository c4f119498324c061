using System.Net.Http.Headers;
using System.Text.Json;

namespace Notifications.Tests;

/// <summary>Structured CloudEvents 1.0 as the sidecar delivers them (<c>application/cloudevents+json</c>).</summary>
internal static class CloudEvents
{
    public static HttpContent Create(string id, string type, string topic, object? data) => Json(new Dictionary<string, object?>
    {
        ["specversion"] = "1.0",
        ["id"] = id,
        ["source"] = "orders",
        ["type"] = type,
        ["datacontenttype"] = "application/json",
        ["topic"] = topic,
        ["pubsubname"] = "pubsub",
        ["time"] = "2026-01-01T00:00:00Z",
        ["data"] = data,
    });

    public static HttpContent Raw(string json)
    {
        var content = new StringContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
        return content;
    }

    private static HttpContent Json(object envelope) => Raw(JsonSerializer.Serialize(envelope));
}

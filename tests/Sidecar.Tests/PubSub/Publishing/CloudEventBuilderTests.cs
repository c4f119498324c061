using System.Text;
using System.Text.Json;
using Sidecar.PubSub.Publishing;

namespace Sidecar.Tests.PubSub.Publishing;

public sealed class CloudEventBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static JsonElement Build(string data, string? contentType, Dictionary<string, string>? metadata = null, string? traceParent = null) =>
        JsonDocument.Parse(CloudEventBuilder.Build(
            new PublishRequest("pubsub", "orders", Encoding.UTF8.GetBytes(data), contentType, metadata ?? [], traceParent),
            "orders-app", Now)).RootElement;

    [Fact]
    public void Build_JsonPayload_PutsItUnderDataWithTheDaprFields()
    {
        var traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var ce = Build("""{"orderId":"o-1"}""", "application/json", traceParent: traceParent);

        Assert.Equal("o-1", ce.GetProperty("data").GetProperty("orderId").GetString());
        Assert.True(Guid.TryParse(ce.GetProperty("id").GetString(), out _));
        Assert.Equal("1.0", ce.GetProperty("specversion").GetString());
        Assert.Equal("orders-app", ce.GetProperty("source").GetString());
        Assert.Equal("com.dapr.event.sent", ce.GetProperty("type").GetString());
        Assert.Equal("application/json", ce.GetProperty("datacontenttype").GetString());
        Assert.Equal("orders", ce.GetProperty("topic").GetString());
        Assert.Equal("pubsub", ce.GetProperty("pubsubname").GetString());
        Assert.Equal("2026-01-02T03:04:05Z", ce.GetProperty("time").GetString());
        Assert.Equal(traceParent, ce.GetProperty("traceparent").GetString());
        Assert.Equal(traceParent, ce.GetProperty("traceid").GetString());
    }

    [Fact]
    public void Build_BinaryPayload_GoesUnderDataBase64()
    {
        var ce = Build("\u0001\u0002", "application/octet-stream");

        Assert.Equal(Convert.ToBase64String([1, 2]), ce.GetProperty("data_base64").GetString());
        Assert.False(ce.TryGetProperty("data", out _));
    }

    [Fact]
    public void Build_WithoutContentType_TreatsThePayloadAsText()
    {
        var ce = Build("hello", null);

        Assert.Equal("text/plain", ce.GetProperty("datacontenttype").GetString());
        Assert.Equal("hello", ce.GetProperty("data").GetString());
    }

    [Fact]
    public void Build_PublisherCloudEvent_KeepsItsFieldsAndFillsTheMissingOnes()
    {
        var ce = Build("""{"id":"mine","type":"my.type","source":"elsewhere","specversion":"1.0","data":{"a":1}}""",
            "application/cloudevents+json");

        Assert.Equal(("mine", "my.type", "elsewhere"), (ce.GetProperty("id").GetString(), ce.GetProperty("type").GetString(), ce.GetProperty("source").GetString()));
        Assert.Equal(1, ce.GetProperty("data").GetProperty("a").GetInt32());
        Assert.Equal("orders", ce.GetProperty("topic").GetString());
        Assert.Equal("pubsub", ce.GetProperty("pubsubname").GetString());
        Assert.StartsWith("00-", ce.GetProperty("traceparent").GetString());
    }

    [Fact]
    public void Build_CloudEventMetadata_OverridesTypeIdSourceAndSubject()
    {
        var ce = Build("{}", "application/json", new Dictionary<string, string>
        {
            ["cloudevent.type"] = "order.cancelled",
            ["cloudevent.id"] = "id-1",
            ["cloudevent.source"] = "src",
            ["cloudevent.subject"] = "subj",
        });

        Assert.Equal(("order.cancelled", "id-1", "src", "subj"), (ce.GetProperty("type").GetString(), ce.GetProperty("id").GetString(),
            ce.GetProperty("source").GetString(), ce.GetProperty("subject").GetString()));
    }

    [Fact]
    public void Build_WithTtl_SetsTheExpiration()
    {
        var ce = Build("{}", "application/json", new Dictionary<string, string> { ["ttlInSeconds"] = "60" });

        Assert.Equal(Now.AddSeconds(60), DateTimeOffset.Parse(ce.GetProperty("expiration").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Build_CloudEventThatIsNotAnObject_Throws()
    {
        Assert.ThrowsAny<JsonException>(() => Build("[1]", "application/cloudevents+json"));
    }
}

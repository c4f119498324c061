using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.PubSub.Publishing;

/// <summary>
/// The CloudEvent's <c>data</c> as daprd builds it, by the content type of the publish: components-contrib
/// <c>contenttype/utils.go</c> (only <c>application/json</c> is JSON, <c>application/octet-stream</c> is binary, every
/// other type is a string) and <c>pubsub/envelope.go</c> (NewCloudEventsEnvelope, FromCloudEvent, FromRawPayload).
/// Published over HTTP and seen by a real subscriber app.
/// </summary>
public sealed class CloudEventDataConformanceTests
{
    [Theory]
    [InlineData("application/x-www-form-urlencoded", "a=1&b=2")]
    [InlineData("application/xml", "<order id=\"1\"/>")]
    [InlineData("text/csv", "1,2,3")]
    [InlineData("application/problem+json", "{\"title\":\"x\"}")]
    [InlineData("image/svg+xml", "<svg/>")]
    public async Task NewCloudEventsEnvelope_NonJsonContentType_PutsThePayloadUnderDataAsAString(string contentType, string payload)
    {
        var ce = await PublishAndReceiveAsync(new StringContent(payload, Encoding.UTF8, contentType));

        Assert.Equal(JsonValueKind.String, ce.GetProperty("data").ValueKind);
        Assert.Equal(payload, ce.GetProperty("data").GetString());
        Assert.False(ce.TryGetProperty("data_base64", out _));
    }

    [Fact]
    public async Task NewCloudEventsEnvelope_ApplicationJsonWithCharset_ParsesThePayloadAsJson()
    {
        var ce = await PublishAndReceiveAsync(new StringContent("""{"orderId":"o-1"}""", Encoding.UTF8, "application/json"));

        Assert.Equal("o-1", ce.GetProperty("data").GetProperty("orderId").GetString());
    }

    [Fact]
    public async Task NewCloudEventsEnvelope_OctetStream_PutsThePayloadUnderDataBase64()
    {
        var content = new ByteArrayContent([0, 255, 7]);
        content.Headers.ContentType = new("application/octet-stream");

        var ce = await PublishAndReceiveAsync(content);

        Assert.Equal(Convert.ToBase64String([0, 255, 7]), ce.GetProperty("data_base64").GetString());
        Assert.False(ce.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task FromCloudEvent_PublisherEventWithoutSource_GetsSourceDapr()
    {
        var content = new StringContent("""{"id":"e-1","specversion":"1.0","type":"t","data":{"a":1}}""", Encoding.UTF8);
        content.Headers.ContentType = new("application/cloudevents+json");

        var ce = await PublishAndReceiveAsync(content);

        Assert.Equal("Dapr", ce.GetProperty("source").GetString());
        Assert.Equal("e-1", ce.GetProperty("id").GetString());
    }

    [Fact]
    public async Task FromRawPayload_RawSubscription_WrapsTheBytesWithSourceDaprAndOctetStream()
    {
        var topic = PubSubHarness.NewName("raw");
        var inbox = new Inbox<JsonElement>();
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("raw"), app =>
            app.MapPost("/raw", async (HttpRequest request) =>
            {
                inbox.Add(await JsonSerializer.DeserializeAsync<JsonElement>(request.Body));
                return Results.Ok();
            }).WithTopic("pubsub", topic, new Dictionary<string, string> { ["rawPayload"] = "true" }), useCloudEvents: false);
        using var http = new HttpClient();

        using var response = await http.PostAsync($"{harness.Sidecar.HttpEndpoint}/v1.0/publish/pubsub/{topic}?metadata.rawPayload=true",
            new StringContent("plain"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var ce = (await inbox.WaitForAsync()).Single();
        Assert.Equal("Dapr", ce.GetProperty("source").GetString());
        Assert.Equal("application/octet-stream", ce.GetProperty("datacontenttype").GetString());
        Assert.Equal(("com.dapr.event.sent", topic, "pubsub"),
            (ce.GetProperty("type").GetString(), ce.GetProperty("topic").GetString(), ce.GetProperty("pubsubname").GetString()));
        Assert.Equal(Convert.ToBase64String("plain"u8.ToArray()), ce.GetProperty("data_base64").GetString());
    }

    private static async Task<JsonElement> PublishAndReceiveAsync(HttpContent content)
    {
        var topic = PubSubHarness.NewName("ce");
        var inbox = new Inbox<JsonElement>();
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("ce"), app =>
            app.MapPost("/events", async (HttpRequest request) =>
            {
                inbox.Add(await JsonSerializer.DeserializeAsync<JsonElement>(request.Body));
                return Results.Ok();
            }).WithTopic("pubsub", topic), useCloudEvents: false);
        using var http = new HttpClient();

        using var response = await http.PostAsync($"{harness.Sidecar.HttpEndpoint}/v1.0/publish/pubsub/{topic}", content);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return (await inbox.WaitForAsync()).Single();
    }
}

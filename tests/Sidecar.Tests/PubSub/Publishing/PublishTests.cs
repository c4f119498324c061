using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.PubSub.Brokers;

namespace Sidecar.Tests.PubSub.Publishing;

/// <summary>Publishing through the real DaprClient (gRPC) and the HTTP API, seen by a real subscriber app, on every broker.</summary>
public abstract class PublishTests(Broker broker)
{
    private sealed record Order(string OrderId, decimal Total);

    private async Task<(PubSubHarness Harness, Inbox<(Dictionary<string, string> Headers, JsonElement Event)> Inbox)> RawSubscriberAsync(string topic)
    {
        var inbox = new Inbox<(Dictionary<string, string>, JsonElement)>();
        var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("raw"), app =>
            app.MapPost("/raw", async (HttpRequest request) =>
            {
                // Copied: the request's header collection is recycled once the request ends.
                var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                inbox.Add((headers, await JsonSerializer.DeserializeAsync<JsonElement>(request.Body)));
                return Results.Ok();
            }).WithTopic("pubsub", topic), useCloudEvents: false, broker: broker);
        return (harness, inbox);
    }

    [Fact]
    public async Task PublishEvent_ViaDaprClient_DeliversACloudEventWithDaprFields()
    {
        var topic = PubSubHarness.NewName("orders");
        var (harness, inbox) = await RawSubscriberAsync(topic);
        await using var running = harness;

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Order("o-1", 12.5m));

        var (headers, ce) = (await inbox.WaitForAsync()).Single();
        Assert.Equal("application/cloudevents+json", headers["content-type"]);
        Assert.Equal("pubsub", headers["pubsubname"]);
        Assert.Equal("o-1", ce.GetProperty("data").GetProperty("orderId").GetString());
        Assert.True(Guid.TryParse(ce.GetProperty("id").GetString(), out _));
        Assert.Equal(harness.Sidecar.Options.AppId, ce.GetProperty("source").GetString());
        Assert.Equal("com.dapr.event.sent", ce.GetProperty("type").GetString());
        Assert.Equal((topic, "pubsub"), (ce.GetProperty("topic").GetString(), ce.GetProperty("pubsubname").GetString()));
        Assert.Equal("application/json", ce.GetProperty("datacontenttype").GetString());
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", ce.GetProperty("traceparent").GetString());
        Assert.Equal(ce.GetProperty("traceparent").GetString(), headers["traceparent"]);
    }

    [Fact]
    public async Task PublishEvent_WithCloudEventTypeMetadata_OverridesTheType()
    {
        var topic = PubSubHarness.NewName("orders");
        var (harness, inbox) = await RawSubscriberAsync(topic);
        await using var running = harness;

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Order("o-2", 1m),
            new Dictionary<string, string> { ["cloudevent.type"] = "order.cancelled" });

        Assert.Equal("order.cancelled", (await inbox.WaitForAsync()).Single().Event.GetProperty("type").GetString());
    }

    [Fact]
    public async Task HttpPublish_Answers204AndAppliesQueryMetadata()
    {
        var topic = PubSubHarness.NewName("orders");
        var (harness, inbox) = await RawSubscriberAsync(topic);
        await using var running = harness;
        using var http = new HttpClient();

        var response = await http.PostAsync($"{harness.Sidecar.HttpEndpoint}/v1.0/publish/pubsub/{topic}?metadata.cloudevent.type=item.upserted",
            new StringContent("plain words", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var ce = (await inbox.WaitForAsync()).Single().Event;
        Assert.Equal(("item.upserted", "plain words"), (ce.GetProperty("type").GetString(), ce.GetProperty("data").GetString()));
    }

    [Fact]
    public async Task HttpPublish_RawPayload_DeliversTheBytesWrappedForARawSubscriber()
    {
        var topic = PubSubHarness.NewName("raw");
        var inbox = new Inbox<JsonElement>();
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("raw"), app =>
            app.MapPost("/raw", async (HttpRequest request) =>
            {
                inbox.Add(await JsonSerializer.DeserializeAsync<JsonElement>(request.Body));
                return Results.Ok();
            }).WithTopic("pubsub", topic, new Dictionary<string, string> { ["rawPayload"] = "true" }), useCloudEvents: false, broker: broker);
        using var http = new HttpClient();

        var response = await http.PostAsync($"{harness.Sidecar.HttpEndpoint}/v1.0/publish/pubsub/{topic}?metadata.rawPayload=true",
            new ByteArrayContent([7, 8, 9]));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Convert.ToBase64String([7, 8, 9]), (await inbox.WaitForAsync()).Single().GetProperty("data_base64").GetString());
    }

    [Fact]
    public async Task BulkPublishEvent_ViaDaprClient_DeliversEveryEntry()
    {
        var topic = PubSubHarness.NewName("bulk");
        var inbox = new Inbox<Order>();
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("bulk"), app =>
            app.MapPost("/orders", (Order order) => { inbox.Add(order); return Results.Ok(); }).WithTopic("pubsub", topic), broker: broker);

        var result = await harness.Sidecar.Client.BulkPublishEventAsync("pubsub", topic,
            [new Order("b-1", 1m), new Order("b-2", 2m), new Order("b-3", 3m)]);

        Assert.Empty(result.FailedEntries);
        var received = await inbox.WaitForAsync(3);
        Assert.Equal(["b-1", "b-2", "b-3"], received.Select(o => o.OrderId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task HttpBulkPublish_Answers204AndDeliversEachEntry()
    {
        var topic = PubSubHarness.NewName("bulk");
        var inbox = new Inbox<Order>();
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("bulk"), app =>
            app.MapPost("/orders", (Order order) => { inbox.Add(order); return Results.Ok(); }).WithTopic("pubsub", topic), broker: broker);
        using var http = new HttpClient();

        var response = await http.PostAsJsonAsync($"{harness.Sidecar.HttpEndpoint}/v1.0-alpha1/publish/bulk/pubsub/{topic}", new[]
        {
            new { entryId = "1", @event = (object)new Order("h-1", 1m), contentType = "application/json" },
            new { entryId = "2", @event = (object)new Order("h-2", 2m), contentType = "application/json" },
        });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(["h-1", "h-2"], (await inbox.WaitForAsync(2)).Select(o => o.OrderId).Order(StringComparer.Ordinal));
    }
}

/// <summary>Publishing on the embedded broker.</summary>
public sealed class PublishOnEmbeddedBrokerTests() : PublishTests(new EmbeddedBroker());

/// <summary>Publishing on <c>pubsub.redis</c>.</summary>
public sealed class PublishOnRedisTests(RedisBroker redis) : PublishTests(redis), IClassFixture<RedisBroker>;

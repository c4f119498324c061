using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.PubSub.Publishing;

/// <summary>
/// The publish routes as daprd's router and handlers take them (dapr/dapr <c>pkg/api/http/http.go</c> onPublish,
/// onBulkPublish; <c>pkg/api/http/util.go</c> ConvertEventToBytes; <c>pkg/api/errors/pubsub.go</c>).
/// </summary>
public sealed class PublishRequestConformanceTests
{
    [Fact]
    public async Task OnPublish_ByPut_IsAcceptedLikePost()
    {
        var (harness, inbox, topic) = await SubscriberAsync();
        await using var running = harness;
        using var http = new HttpClient();

        using var response = await http.PutAsync($"{harness.Sidecar.HttpEndpoint}/v1.0/publish/pubsub/{topic}",
            JsonContent.Create(new { orderId = "put-1" }));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("put-1", (await inbox.WaitForAsync()).Single().GetProperty("data").GetProperty("orderId").GetString());
    }

    [Fact]
    public async Task OnPublish_EmptyTopic_Answers404ErrTopicNameEmpty()
    {
        var (harness, _, _) = await SubscriberAsync();
        await using var running = harness;
        using var http = new HttpClient();

        using var response = await http.PostAsync($"{harness.Sidecar.HttpEndpoint}/v1.0/publish/pubsub/", new StringContent("x"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ERR_TOPIC_NAME_EMPTY", body.GetProperty("errorCode").GetString());
        Assert.Equal("topic is empty in pubsub pubsub", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task OnBulkPublish_EntryWithoutEntryId_Answers400ErrPubsubEventsSerAndPublishesNothing()
    {
        var (harness, inbox, topic) = await SubscriberAsync();
        await using var running = harness;
        using var http = new HttpClient();

        using var response = await http.PostAsJsonAsync($"{harness.Sidecar.HttpEndpoint}/v1.0-alpha1/publish/bulk/pubsub/{topic}", new object[]
        {
            new { entryId = "1", @event = new { orderId = "b-1" }, contentType = "application/json" },
            new { @event = new { orderId = "b-2" }, contentType = "application/json" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ERR_PUBSUB_EVENTS_SER", body.GetProperty("errorCode").GetString());
        Assert.Contains("entryId is duplicated or not present for entry", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        await inbox.AssertStaysAtAsync(0, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task OnBulkPublish_DuplicateEntryId_Answers400ErrPubsubEventsSer()
    {
        var (harness, _, topic) = await SubscriberAsync();
        await using var running = harness;
        using var http = new HttpClient();

        using var response = await http.PostAsJsonAsync($"{harness.Sidecar.HttpEndpoint}/v1.0/publish/bulk/pubsub/{topic}", new object[]
        {
            new { entryId = "same", @event = "a", contentType = "text/plain" },
            new { entryId = "same", @event = "b", contentType = "text/plain" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ERR_PUBSUB_EVENTS_SER", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task ConvertEventToBytes_OctetStreamEntry_IsBase64DecodedBeforePublishing()
    {
        var (harness, inbox, topic) = await SubscriberAsync();
        await using var running = harness;
        using var http = new HttpClient();
        byte[] bytes = [1, 2, 3, 250];

        using var response = await http.PutAsJsonAsync($"{harness.Sidecar.HttpEndpoint}/v1.0/publish/bulk/pubsub/{topic}", new object[]
        {
            new { entryId = "bin", @event = Convert.ToBase64String(bytes), contentType = "application/octet-stream" },
            new { entryId = "txt", @event = "hello", contentType = "text/plain" },
        });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var events = await inbox.WaitForAsync(2);
        var binary = Assert.Single(events, e => e.TryGetProperty("data_base64", out _));
        Assert.Equal(Convert.ToBase64String(bytes), binary.GetProperty("data_base64").GetString());
        Assert.Equal("hello", Assert.Single(events, e => e.TryGetProperty("data", out _)).GetProperty("data").GetString());
    }

    [Fact]
    public async Task ConvertEventToBytes_EventNotMatchingItsContentType_Answers400()
    {
        var (harness, _, topic) = await SubscriberAsync();
        await using var running = harness;
        using var http = new HttpClient();

        using var response = await http.PostAsJsonAsync($"{harness.Sidecar.HttpEndpoint}/v1.0-alpha1/publish/bulk/pubsub/{topic}", new object[]
        {
            new { entryId = "1", @event = new { a = 1 }, contentType = "application/octet-stream" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ERR_PUBSUB_EVENTS_SER", body.GetProperty("errorCode").GetString());
        Assert.Contains("mismatch between contentType and event", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(PubSubHarness Harness, Inbox<JsonElement> Inbox, string Topic)> SubscriberAsync()
    {
        var topic = PubSubHarness.NewName("pub");
        var inbox = new Inbox<JsonElement>();
        var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("pub"), app =>
            app.MapPost("/events", async (HttpRequest request) =>
            {
                inbox.Add(await JsonSerializer.DeserializeAsync<JsonElement>(request.Body));
                return Results.Ok();
            }).WithTopic("pubsub", topic), useCloudEvents: false);
        return (harness, inbox, topic);
    }
}

using System.Text.Json;
using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Components;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.PubSub;
using Sidecar.Tests.PubSub.Brokers;
using StackExchange.Redis;

namespace Sidecar.Tests.Components.PubSub;

/// <summary>
/// <c>pubsub.redis</c> as Redis sees it: the stream entries in components-contrib's layout (so daprd and this sidecar can
/// share a stream), the consumer groups, acknowledgement and trimming, against a real redis-server.
/// </summary>
public sealed class RedisStreamsPubSubTests(RedisBroker redis) : IClassFixture<RedisBroker>
{
    private sealed record Note(string Id);

    private Task<PubSubHarness> SubscriberAsync(string appId, string topic, Inbox<Note> inbox, IReadOnlyDictionary<string, string>? metadata = null) =>
        PubSubHarness.StartAsync(appId, app =>
            app.MapPost("/notes", (Note n) => { inbox.Add(n); return Results.Ok(); }).WithTopic("pubsub", topic),
            [redis.Component(metadata)]);

    [Fact]
    public async Task Publish_StoresTheCloudEventAndMetadataAsContribDoes_AndTheAppIdsGroupAcknowledgesIt()
    {
        var (topic, appId, inbox) = (PubSubHarness.NewName("t"), PubSubHarness.NewName("sub"), new Inbox<Note>());
        await using var harness = await SubscriberAsync(appId, topic, inbox);

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-1"),
            new Dictionary<string, string> { ["cloudevent.type"] = "note.added" });

        Assert.Equal("n-1", (await inbox.WaitForAsync()).Single().Id);
        var entry = Assert.Single(await redis.Database.StreamRangeAsync(topic));
        Assert.Equal(["data", "metadata"], entry.Values.Select(v => v.Name.ToString()));
        var cloudEvent = JsonDocument.Parse((string)entry["data"]!).RootElement;
        Assert.Equal(("note.added", "n-1"), (cloudEvent.GetProperty("type").GetString(), cloudEvent.GetProperty("data").GetProperty("id").GetString()));
        Assert.Equal("note.added", JsonDocument.Parse((string)entry["metadata"]!).RootElement.GetProperty("cloudevent.type").GetString());
        var group = Assert.Single(await redis.Database.StreamGroupInfoAsync(topic));
        Assert.Equal(appId, group.Name);
        await WaitUntilAsync(async () => (await redis.Database.StreamPendingAsync(topic, appId)).PendingMessageCount == 0);
    }

    [Fact]
    public async Task AnEntryWrittenAsDaprdWritesIt_IsDeliveredToTheApp()
    {
        var (topic, inbox) = (PubSubHarness.NewName("t"), new Inbox<Note>());
        await using var harness = await SubscriberAsync(PubSubHarness.NewName("sub"), topic, inbox);
        var cloudEvent = JsonSerializer.Serialize(new
        {
            id = Guid.NewGuid().ToString(), specversion = "1.0", source = "daprd-app", type = "com.dapr.event.sent",
            datacontenttype = "application/json", topic, pubsubname = "pubsub", data = new { id = "from-daprd" },
        });

        await redis.Database.StreamAddAsync(topic, [new NameValueEntry("data", cloudEvent), new NameValueEntry("metadata", "{}")]);

        Assert.Equal("from-daprd", (await inbox.WaitForAsync()).Single().Id);
    }

    [Fact]
    public async Task ConsumerId_NamesTheConsumerGroup()
    {
        var (topic, inbox) = (PubSubHarness.NewName("t"), new Inbox<Note>());
        await using var harness = await SubscriberAsync(PubSubHarness.NewName("sub"), topic, inbox,
            new Dictionary<string, string> { ["consumerID"] = "shared-{appID}" });

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-2"));

        await inbox.WaitForAsync();
        var group = Assert.Single(await redis.Database.StreamGroupInfoAsync(topic));
        Assert.Equal("shared-" + harness.Sidecar.Options.AppId, group.Name);
        var consumer = Assert.Single(await redis.Database.StreamConsumerInfoAsync(topic, group.Name));
        Assert.StartsWith(harness.Sidecar.Options.AppId + "-", consumer.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASidecarStoppedCleanly_RemovesItsConsumerNameFromTheGroup()
    {
        var (topic, appId, inbox) = (PubSubHarness.NewName("t"), PubSubHarness.NewName("sub"), new Inbox<Note>());
        var harness = await SubscriberAsync(appId, topic, inbox);
        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-3"));
        await inbox.WaitForAsync();
        Assert.Single(await redis.Database.StreamConsumerInfoAsync(topic, appId));

        await harness.DisposeAsync();

        Assert.Empty(await redis.Database.StreamConsumerInfoAsync(topic, appId));
        Assert.Single(await redis.Database.StreamGroupInfoAsync(topic));
    }

    [Theory]
    [InlineData("maxLenApprox", "10")]
    [InlineData("streamTTL", "1ms")]
    public async Task MaxLenApproxOrStreamTtl_TrimsTheStream(string setting, string value)
    {
        var topic = PubSubHarness.NewName("t");
        using var folder = new ResourcesFolder(redis.Component(new Dictionary<string, string> { [setting] = value }));
        await using var publisher = await TestSidecar.StartAsync(PubSubHarness.NewName("pub"), folder.Path);

        for (var i = 0; i < 500; i++)
        {
            await publisher.Client.PublishEventAsync("pubsub", topic, new Note($"n-{i}"));
        }

        // MAXLEN ~ / MINID ~ trim whole stream nodes (100 entries by default): the length ends near the limit, not at it.
        Assert.InRange(await redis.Database.StreamLengthAsync(topic), 1, 200);
    }

    [Fact]
    public async Task ADeliverySlowerThanProcessingTimeout_IsLeftPendingAndDeliveredAgain()
    {
        var (topic, appId, attempts) = (PubSubHarness.NewName("t"), PubSubHarness.NewName("sub"), new Inbox<Note>());
        await using var harness = await PubSubHarness.StartAsync(appId, app => app.MapPost("/notes", async (Note n) =>
        {
            attempts.Add(n);
            if (attempts.Items.Count == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(3)); // the sidecar gives up on this one after 500 ms
            }

            return Results.Ok();
        }).WithTopic("pubsub", topic), [redis.Component(new Dictionary<string, string>
        {
            ["processingTimeout"] = "500ms", ["redeliverInterval"] = "100",
        })]);

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("slow"));

        Assert.Equal(["slow", "slow"], (await attempts.WaitForAsync(2)).Select(n => n.Id));
        await WaitUntilAsync(async () => (await redis.Database.StreamPendingAsync(topic, appId)).PendingMessageCount == 0);
    }

    [Fact]
    public async Task ADroppedMessage_IsAcknowledgedOnceTheDeadLetterTopicHasIt()
    {
        var (topic, appId, dead) = (PubSubHarness.NewName("t"), PubSubHarness.NewName("sub"), new Inbox<Note>());
        await using var harness = await PubSubHarness.StartAsync(appId, app =>
        {
            app.MapPost("/notes", (Note _) => Results.Json(new { status = "DROP" }))
                .WithTopic(new TopicOptions { PubsubName = "pubsub", Name = topic, DeadLetterTopic = topic + "-dead" });
            app.MapPost("/dead", (Note n) => { dead.Add(n); return Results.Ok(); }).WithTopic("pubsub", topic + "-dead");
        }, [redis.Component()]);

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("dropped"));

        Assert.Equal("dropped", (await dead.WaitForAsync()).Single().Id);
        Assert.Single(await redis.Database.StreamRangeAsync(topic + "-dead"));
        await WaitUntilAsync(async () => (await redis.Database.StreamPendingAsync(topic, appId)).PendingMessageCount == 0);
    }

    [Fact]
    public async Task AServerWithAPassword_IsReachedThroughTheSharedRedisConnectionSettings()
    {
        await using var server = await RedisServer.StartAsync(["--requirepass", "s3cret"]);
        var (topic, inbox) = (PubSubHarness.NewName("t"), new Inbox<Note>());
        var component = ("pubsub.yaml", $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub.redis
              version: v1
              metadata:
                - name: redisHost
                  value: "{server.Host}"
                - name: redisPassword
                  value: s3cret
            """);
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("sub"), app =>
            app.MapPost("/notes", (Note n) => { inbox.Add(n); return Results.Ok(); }).WithTopic("pubsub", topic), [component]);

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("secret"));

        Assert.Equal("secret", (await inbox.WaitForAsync()).Single().Id);
    }

    [Theory]
    [InlineData("queueDepth", "0")]
    [InlineData("concurrency", "many")]
    [InlineData("processingTimeout", "soon")]
    public async Task InvalidMetadata_FailsTheStartNamingTheFileAndSetting(string key, string value)
    {
        using var folder = new ResourcesFolder(redis.Component(new Dictionary<string, string> { [key] = value }));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestSidecar.StartAsync(PubSubHarness.NewName("sub"), folder.Path));

        Assert.Contains(Path.Combine(folder.Path, "pubsub.yaml"), error.Message, StringComparison.Ordinal);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 250 && !await condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(await condition());
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Dapr;
using Dapr.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Observability;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.PubSub.Brokers;

namespace Sidecar.Tests.PubSub.Delivery;

/// <summary>Bulk subscribe against a real Dapr.AspNetCore handler taking <see cref="BulkSubscribeMessage{TValue}"/>, on every broker.</summary>
public abstract class BulkSubscribeTests(Broker broker)
{
    private sealed record Note(string Id);

    [Fact]
    public async Task BulkSubscriber_GetsOneCallPerBatchAndEachEntryIsSettledByItsStatus()
    {
        var topic = PubSubHarness.NewName("bulk");
        var (batches, dead) = (new Inbox<BulkSubscribeMessage<JsonElement>>(), new Inbox<Note>());
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("sub"), app =>
        {
            app.MapPost("/bulk", (BulkSubscribeMessage<JsonElement> message) =>
            {
                batches.Add(message);
                return Results.Json(new BulkSubscribeAppResponse([.. message.Entries.Select(e => new BulkSubscribeAppResponseEntry(
                    e.EntryId,
                    e.Event.GetProperty("data").GetProperty("id").GetString() == "drop-me"
                        ? BulkSubscribeAppResponseStatus.DROP : BulkSubscribeAppResponseStatus.SUCCESS))]));
            })
            .WithTopic(new TopicOptions { PubsubName = "pubsub", Name = topic, DeadLetterTopic = topic + "-dead" })
            .WithBulkSubscribe(new BulkSubscribeTopicOptions { TopicName = topic, MaxMessagesCount = 3, MaxAwaitDurationMs = 2000 });
            app.MapPost("/dead", (Note n) => { dead.Add(n); return Results.Ok(); }).WithTopic("pubsub", topic + "-dead");
        }, broker: broker);

        await harness.Sidecar.Client.BulkPublishEventAsync("pubsub", topic, [new Note("a"), new Note("drop-me"), new Note("c")]);

        var batch = (await batches.WaitForAsync(1)).Single();
        Assert.Equal(3, batch.Entries.Count);
        Assert.Equal(topic, batch.Topic);
        Assert.All(batch.Entries, e => Assert.Equal("application/cloudevents+json", e.ContentType));
        Assert.Equal("drop-me", (await dead.WaitForAsync(1)).Single().Id);
        await batches.AssertStaysAtAsync(1, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task BulkSubscriber_FlushesAPartialBatchAfterMaxAwaitDuration()
    {
        var topic = PubSubHarness.NewName("bulk");
        var batches = new Inbox<int>();
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("sub"), app =>
            app.MapPost("/bulk", (BulkSubscribeMessage<JsonElement> message) =>
            {
                batches.Add(message.Entries.Count);
                return Results.Json(new BulkSubscribeAppResponse([.. message.Entries.Select(e =>
                    new BulkSubscribeAppResponseEntry(e.EntryId, BulkSubscribeAppResponseStatus.SUCCESS))]));
            })
            .WithTopic("pubsub", topic)
            .WithBulkSubscribe(new BulkSubscribeTopicOptions { TopicName = topic, MaxMessagesCount = 100, MaxAwaitDurationMs = 100 }),
            broker: broker);

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("only"));

        Assert.Equal([1], await batches.WaitForAsync(1));
    }

    // dapr/dapr pkg/runtime/subscription/postman/http/http.go: a span pubsub/<topic> per entry of the batch, each under
    // the trace its CloudEvent carries, and the app's call under the last of them.
    [Fact]
    public async Task BulkDelivery_IsOneSpanPerEntry_EachAChildOfItsPublish()
    {
        var (topic, appId) = (PubSubHarness.NewName("bulk"), PubSubHarness.NewName("sub"));
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SidecarTelemetry.NamePrefix + appId,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var traceParents = new Inbox<string>();
        await using var harness = await PubSubHarness.StartAsync(appId, app =>
            app.MapPost("/bulk", (BulkSubscribeMessage<JsonElement> message, HttpRequest request) =>
            {
                traceParents.Add(request.Headers["traceparent"].ToString());
                return Results.Json(new BulkSubscribeAppResponse([.. message.Entries.Select(e =>
                    new BulkSubscribeAppResponseEntry(e.EntryId, BulkSubscribeAppResponseStatus.SUCCESS))]));
            })
            .WithTopic("pubsub", topic)
            .WithBulkSubscribe(new BulkSubscribeTopicOptions { TopicName = topic, MaxMessagesCount = 2, MaxAwaitDurationMs = 5000 }),
            broker: broker);

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("a"));
        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("b"));

        var traceParent = Assert.Single(await traceParents.WaitForAsync(1));
        List<Activity> deliveries = [];
        for (var waited = 0; deliveries.Count < 2 && waited < 5000; waited += 20)
        {
            await Task.Delay(20);
            deliveries = [.. spans.Where(s => s.DisplayName == $"pubsub/{topic}")];
        }

        var publishes = spans.Where(s => s.Kind == ActivityKind.Producer && (string?)s.GetTagItem("messaging.destination.name") == topic).ToList();
        Assert.Equal(2, publishes.Count);
        Assert.Equal(2, deliveries.Count);
        Assert.Equal(
            publishes.Select(p => $"{p.TraceId}-{p.SpanId}").Order(StringComparer.Ordinal),
            deliveries.Select(d => $"{d.TraceId}-{d.ParentSpanId}").Order(StringComparer.Ordinal));
        Assert.Contains(traceParent, deliveries.Select(d => d.Id));
    }

    // dapr/dapr pkg/runtime/subscription/bulkresiliency.go applyBulkSubscribeResiliency: under the inbound policy each
    // retry sends only the entries the app has not settled yet.
    [Fact]
    public async Task InboundRetryPolicy_ResendsOnlyTheEntriesAnsweredRetry()
    {
        var topic = PubSubHarness.NewName("bulk");
        var (batches, dead) = (new Inbox<string[]>(), new Inbox<Note>());
        var calls = 0;
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("sub"), app =>
        {
            app.MapPost("/dead", (Note n) => { dead.Add(n); return Results.Ok(); }).WithTopic("pubsub", topic + "-dead");
            app.MapPost("/bulk", (BulkSubscribeMessage<JsonElement> message) =>
            {
                batches.Add([.. message.Entries.Select(e => e.Event.GetProperty("data").GetProperty("id").GetString()!).Order(StringComparer.Ordinal)]);
                var first = Interlocked.Increment(ref calls) == 1;
                return Results.Json(new BulkSubscribeAppResponse([.. message.Entries.Select(e => new BulkSubscribeAppResponseEntry(
                    e.EntryId,
                    first && e.Event.GetProperty("data").GetProperty("id").GetString() == "b"
                        ? BulkSubscribeAppResponseStatus.RETRY : BulkSubscribeAppResponseStatus.SUCCESS))]));
            })
            .WithTopic(new TopicOptions { PubsubName = "pubsub", Name = topic, DeadLetterTopic = topic + "-dead" })
            .WithBulkSubscribe(new BulkSubscribeTopicOptions { TopicName = topic, MaxMessagesCount = 3, MaxAwaitDurationMs = 2000 });
        }, [PubSubHarness.InboundRetry(maxRetries: 3)]);

        await harness.Sidecar.Client.BulkPublishEventAsync("pubsub", topic, [new Note("a"), new Note("b"), new Note("c")]);

        var sent = await batches.WaitForAsync(2);
        Assert.Equal(["a", "b", "c"], sent[0]);
        Assert.Equal(["b"], sent[1]);
        await batches.AssertStaysAtAsync(2, TimeSpan.FromMilliseconds(300));
        Assert.Empty(dead.Items);
    }
}

/// <summary>Bulk subscribe on the embedded broker.</summary>
public sealed class BulkSubscribeOnEmbeddedBrokerTests() : BulkSubscribeTests(new EmbeddedBroker());

/// <summary>Bulk subscribe on <c>pubsub.redis</c> (batches form from the component's concurrent deliveries, as in daprd).</summary>
public sealed class BulkSubscribeOnRedisTests(RedisBroker redis) : BulkSubscribeTests(redis), IClassFixture<RedisBroker>;

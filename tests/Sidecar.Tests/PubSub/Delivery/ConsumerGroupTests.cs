using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.PubSub.Brokers;

namespace Sidecar.Tests.PubSub.Delivery;

/// <summary>
/// Consumer groups, on every broker: the sidecars of one app id compete for a topic's messages (each message reaches
/// one of them), and each app id gets every message.
/// </summary>
public abstract class ConsumerGroupTests(Broker broker)
{
    private sealed record Note(string Id);

    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    private Task<PubSubHarness> SubscriberAsync(
        string appId, string topic, Action<Note> received, SidecarNetwork network, params (string, string)[] resources) =>
        PubSubHarness.StartAsync(appId, app => app.MapPost("/notes", async (Note n) =>
        {
            received(n);
            await Task.Delay(20); // a little work, so one instance cannot take everything before the other asks
            return Results.Ok();
        }).WithTopic("pubsub", topic), resources, network: network, broker: broker);

    [Fact]
    public async Task TwoSidecarsOfOneAppId_CompeteForMessages_EachMessageReachesOneOfThem()
    {
        var (topic, appId) = (PubSubHarness.NewName("t"), PubSubHarness.NewName("sub"));
        var received = new Inbox<(int Instance, string Id)>();
        // Redis: one message read and handled at a time per instance, so both instances get a share.
        var oneAtATime = broker.Component(new Dictionary<string, string> { ["queueDepth"] = "1", ["concurrency"] = "1" });
        await using var network = new SidecarNetwork();
        await using var first = await SubscriberAsync(appId, topic, n => received.Add((1, n.Id)), network, oneAtATime);
        await using var second = await SubscriberAsync(appId, topic, n => received.Add((2, n.Id)), network, oneAtATime);

        for (var i = 0; i < 20; i++)
        {
            await first.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note($"n-{i}"));
        }

        var all = await received.WaitForAsync(20, TimeSpan.FromSeconds(10));
        await received.AssertStaysAtAsync(20, Quiet);
        Assert.Equal(20, all.Select(r => r.Id).Distinct().Count());
        Assert.Equal([1, 2], all.Select(r => r.Instance).Distinct().Order());
    }

    [Fact]
    public async Task TwoAppIds_EachGetEveryMessage()
    {
        var topic = PubSubHarness.NewName("t");
        var (a, b) = (new Inbox<Note>(), new Inbox<Note>());
        await using var network = new SidecarNetwork();
        await using var first = await SubscriberAsync(PubSubHarness.NewName("a"), topic, a.Add, network);
        await using var second = await SubscriberAsync(PubSubHarness.NewName("b"), topic, b.Add, network);

        for (var i = 0; i < 5; i++)
        {
            await first.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note($"n-{i}"));
        }

        string[] expected = ["n-0", "n-1", "n-2", "n-3", "n-4"];
        Assert.Equal(expected, (await a.WaitForAsync(5)).Select(n => n.Id).Order(StringComparer.Ordinal));
        Assert.Equal(expected, (await b.WaitForAsync(5)).Select(n => n.Id).Order(StringComparer.Ordinal));
        await a.AssertStaysAtAsync(5, Quiet);
        Assert.Equal(5, b.Items.Count);
    }
}

/// <summary>Consumer groups on the embedded broker (the sidecars share it through their run's network).</summary>
public sealed class ConsumerGroupOnEmbeddedBrokerTests() : ConsumerGroupTests(new EmbeddedBroker());

/// <summary>Consumer groups on <c>pubsub.redis</c>: Redis consumer groups, one consumer name per sidecar.</summary>
public sealed class ConsumerGroupOnRedisTests(RedisBroker redis) : ConsumerGroupTests(redis), IClassFixture<RedisBroker>;

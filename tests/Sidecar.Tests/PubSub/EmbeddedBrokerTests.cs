using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.PubSub;

/// <summary>
/// Under <c>--embedded</c> each pub/sub component name is one broker for the whole run: what one app publishes, another
/// app subscribed through the same component receives; two components are two brokers, as two real ones would be.
/// </summary>
public sealed class EmbeddedBrokerTests
{
    private sealed record Note(string Id);

    [Fact]
    public async Task PublishFromOneApp_ReachesTheSubscriberOfAnotherApp()
    {
        var topic = PubSubHarness.NewName("shared");
        var received = new Inbox<Note>();
        await using var network = new SidecarNetwork();
        await using var subscriber = await PubSubHarness.StartAsync(PubSubHarness.NewName("subscriber"),
            app => app.MapPost("/notes", (Note n) => { received.Add(n); return Results.Ok(); }).WithTopic("pubsub", topic),
            configure: o => o with { Embedded = true }, network: network);
        using var publisherResources = ResourcesFolder.InMemory();
        await using var publisher = await TestSidecar.StartAsync(PubSubHarness.NewName("publisher"), publisherResources.Path,
            o => o with { Embedded = true }, network);

        await publisher.Client.PublishEventAsync("pubsub", topic, new Note("across"));

        Assert.Equal("across", (await received.WaitForAsync()).Single().Id);
    }

    [Fact]
    public async Task TwoPubSubComponents_AreTwoBrokers_SoTheSameTopicNameDoesNotMix()
    {
        var topic = PubSubHarness.NewName("orders");
        var viaA = new Inbox<Note>();
        var viaB = new Inbox<Note>();
        await using var network = new SidecarNetwork();
        await using var subscriber = await PubSubHarness.StartAsync(PubSubHarness.NewName("subscriber"), app =>
            {
                app.MapPost("/from-a", (Note n) => { viaA.Add(n); return Results.Ok(); }).WithTopic("pubsub", topic);
                app.MapPost("/from-b", (Note n) => { viaB.Add(n); return Results.Ok(); }).WithTopic("pubsub-b", topic);
            },
            resources: [("pubsub-b.yaml", """
                apiVersion: dapr.io/v1alpha1
                kind: Component
                metadata:
                  name: pubsub-b
                spec:
                  type: pubsub.in-memory
                  version: v1
                """)],
            configure: o => o with { Embedded = true }, network: network);

        // Published first on A: were the two one broker, B's subscription would get it before its own note.
        await subscriber.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("on-a"));
        await subscriber.Sidecar.Client.PublishEventAsync("pubsub-b", topic, new Note("on-b"));

        Assert.Equal(["on-b"], (await viaB.WaitForAsync()).Select(n => n.Id));
        Assert.Equal(["on-a"], (await viaA.WaitForAsync()).Select(n => n.Id));
    }
}

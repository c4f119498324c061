using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.PubSub;

/// <summary>Under <c>--embedded</c> the apps of one run share one broker: what one app publishes, another receives.</summary>
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
}

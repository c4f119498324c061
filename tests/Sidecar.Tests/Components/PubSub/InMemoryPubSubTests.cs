using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.Components.PubSub;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Components.PubSub;

public sealed class InMemoryPubSubTests
{
    private static PubSubMessage Message(string topic, string text) =>
        new(topic, System.Text.Encoding.UTF8.GetBytes(text), "text/plain", new Dictionary<string, string>());

    private static string Text(PubSubMessage message) => System.Text.Encoding.UTF8.GetString(message.Data);

    private static InMemoryPubSub Broker() => new(NullLogger<InMemoryPubSub>.Instance);

    [Fact]
    public async Task EachConsumerGroup_GetsEveryMessageOnce()
    {
        await using var broker = Broker();
        var (a, b) = (new Inbox<string>(), new Inbox<string>());
        await using var subA = broker.Subscribe("t", "app-a", (m, _) => { a.Add(Text(m)); return Task.CompletedTask; });
        await using var subB = broker.Subscribe("t", "app-b", (m, _) => { b.Add(Text(m)); return Task.CompletedTask; });

        await broker.PublishAsync("t", Message("t", "one"), CancellationToken.None);
        await broker.PublishAsync("t", Message("t", "two"), CancellationToken.None);

        Assert.Equal(["one", "two"], (await a.WaitForAsync(2)).Order(StringComparer.Ordinal));
        Assert.Equal(["one", "two"], (await b.WaitForAsync(2)).Order(StringComparer.Ordinal));
        await a.AssertStaysAtAsync(2, TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task SubscribersOfOneGroup_CompeteForItsMessages()
    {
        await using var broker = Broker();
        var received = new Inbox<string>();
        await using var first = broker.Subscribe("t", "app", (m, _) => { received.Add("1:" + Text(m)); return Task.CompletedTask; });
        await using var second = broker.Subscribe("t", "app", (m, _) => { received.Add("2:" + Text(m)); return Task.CompletedTask; });

        for (var i = 0; i < 10; i++)
        {
            await broker.PublishAsync("t", Message("t", $"m{i}"), CancellationToken.None);
        }

        var all = await received.WaitForAsync(10);
        await received.AssertStaysAtAsync(10, TimeSpan.FromMilliseconds(100));
        Assert.Equal(10, all.Select(r => r[2..]).Distinct().Count());
    }

    [Fact]
    public async Task AGroupCreatedLater_StartsFromTheRetainedBacklog()
    {
        await using var broker = Broker();
        await broker.PublishAsync("t", Message("t", "early"), CancellationToken.None);
        var received = new Inbox<string>();

        await using var late = broker.Subscribe("t", "late-app", (m, _) => { received.Add(Text(m)); return Task.CompletedTask; });

        Assert.Equal(["early"], await received.WaitForAsync());
    }

    [Fact]
    public async Task AHandlerThatThrows_HasSettledTheMessage_AsDaprdsInMemoryComponentDoes()
    {
        await using var broker = Broker();
        var attempts = new Inbox<string>();
        await using var sub = broker.Subscribe("t", "app", (m, _) =>
        {
            attempts.Add(Text(m));
            throw new InvalidOperationException("the delivery layer gave up");
        });

        await broker.PublishAsync("t", Message("t", "once"), CancellationToken.None);

        Assert.Equal(["once"], await attempts.WaitForAsync(1));
        await attempts.AssertStaysAtAsync(1, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task ADeliveryInterruptedByUnsubscribing_GoesToTheGroupsNextSubscriber()
    {
        await using var broker = Broker();
        var started = new TaskCompletionSource();
        var first = broker.Subscribe("t", "app", async (_, token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
        });
        await broker.PublishAsync("t", Message("t", "in-flight"), CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(5));

        await first.DisposeAsync();
        var received = new Inbox<string>();
        await using var second = broker.Subscribe("t", "app", (m, _) => { received.Add(Text(m)); return Task.CompletedTask; });

        Assert.Equal(["in-flight"], await received.WaitForAsync());
    }

    [Fact]
    public async Task MessagesPublishedWhileTheGroupHasNoSubscriber_WaitForTheNextOne()
    {
        await using var broker = Broker();
        var first = broker.Subscribe("t", "app", (_, _) => Task.CompletedTask);
        await first.DisposeAsync();
        await broker.PublishAsync("t", Message("t", "while-away"), CancellationToken.None);
        var received = new Inbox<string>();

        await using var again = broker.Subscribe("t", "app", (m, _) => { received.Add(Text(m)); return Task.CompletedTask; });

        Assert.Equal(["while-away"], await received.WaitForAsync());
    }
}

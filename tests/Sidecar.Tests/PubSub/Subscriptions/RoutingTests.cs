using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.PubSub.Brokers;

namespace Sidecar.Tests.PubSub.Subscriptions;

/// <summary>Routing rules from the app's <c>/dapr/subscribe</c> and from Subscription resources, against real events, on every broker.</summary>
public abstract class RoutingTests(Broker broker)
{
    private sealed record Note(string Id);

    private static Dictionary<string, string> Typed(string type) => new() { ["cloudevent.type"] = type };

    [Fact]
    public async Task ProgrammaticRules_RouteByEventTypeAndFallBackToTheDefault()
    {
        var topic = PubSubHarness.NewName("orders");
        var (cancelled, other) = (new Inbox<Note>(), new Inbox<Note>());
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("sub"), app =>
        {
            app.MapPost("/cancelled", (Note n) => { cancelled.Add(n); return Results.Ok(); })
                .WithTopic(new TopicOptions { PubsubName = "pubsub", Name = topic, Match = "event.type == \"order.cancelled\"", Priority = 1 });
            app.MapPost("/other", (Note n) => { other.Add(n); return Results.Ok(); }).WithTopic("pubsub", topic);
        }, broker: broker);

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("c"), Typed("order.cancelled"));
        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("d"), Typed("order.completed"));

        Assert.Equal("c", (await cancelled.WaitForAsync()).Single().Id);
        Assert.Equal("d", (await other.WaitForAsync()).Single().Id);
    }

    [Fact]
    public async Task DeclarativeRules_EvaluateEqualsNotEqualsAndOr()
    {
        var topic = PubSubHarness.NewName("orders");
        var appId = PubSubHarness.NewName("sub");
        var (first, second, fallback) = (new Inbox<Note>(), new Inbox<Note>(), new Inbox<Note>());
        var subscription = ("subscription.yaml", $"""
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata:
              name: orders
            spec:
              pubsubname: pubsub
              topic: {topic}
              routes:
                rules:
                  - match: event.type == "a" && event.source != "nobody"
                    path: /first
                  - match: (event.type == "b" || event.type == "c") && event.topic == "{topic}"
                    path: /second
                default: /fallback
            scopes:
              - {appId}
            """);
        await using var harness = await PubSubHarness.StartAsync(appId, app =>
        {
            app.MapPost("/first", (Note n) => { first.Add(n); return Results.Ok(); });
            app.MapPost("/second", (Note n) => { second.Add(n); return Results.Ok(); });
            app.MapPost("/fallback", (Note n) => { fallback.Add(n); return Results.Ok(); });
        }, [subscription], broker: broker);

        foreach (var (id, type) in new[] { ("1", "a"), ("2", "b"), ("3", "c"), ("4", "z") })
        {
            await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note(id), Typed(type));
        }

        Assert.Equal(["1"], (await first.WaitForAsync(1)).Select(n => n.Id));
        Assert.Equal(["2", "3"], (await second.WaitForAsync(2)).Select(n => n.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["4"], (await fallback.WaitForAsync(1)).Select(n => n.Id));
    }
}

/// <summary>Routing on the embedded broker.</summary>
public sealed class RoutingOnEmbeddedBrokerTests() : RoutingTests(new EmbeddedBroker());

/// <summary>Routing on <c>pubsub.redis</c>.</summary>
public sealed class RoutingOnRedisTests(RedisBroker redis) : RoutingTests(redis), IClassFixture<RedisBroker>;

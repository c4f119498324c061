using System.Net.Http.Json;
using System.Text.Json;
using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.PubSub.Subscriptions;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.PubSub.Subscriptions;

/// <summary>Which subscriptions an app ends up with when they clash or one of them cannot be read, as daprd decides.</summary>
public sealed class SubscriptionSetTests
{
    private sealed record Note(string Id);

    private static Subscription Sub(string topic, string path, SubscriptionKind kind) =>
        new("pubsub", topic, [], path, null, new Dictionary<string, string>(), null, kind);

    // dapr/dapr pkg/runtime/compstore/subscriptions.go ListSubscriptionsAppByPubSub: the first declarative one per
    // topic, replaced in place by a programmatic one (the last wins).
    [Fact]
    public void OnePerTopic_FirstDeclarative_ReplacedByProgrammatic()
    {
        var merged = SubscriptionMerge.OnePerTopic(
            [Sub("a", "/d1", SubscriptionKind.Declarative), Sub("b", "/d2", SubscriptionKind.Declarative), Sub("a", "/d3", SubscriptionKind.Declarative)],
            [Sub("b", "/p1", SubscriptionKind.Programmatic), Sub("c", "/p2", SubscriptionKind.Programmatic), Sub("b", "/p3", SubscriptionKind.Programmatic)]);

        Assert.Equal(["a /d1", "b /p3", "c /p2"], merged.Select(s => $"{s.Topic} {s.DefaultPath}"));
    }

    // dapr/dapr pkg/runtime/compstore/subscriptions.go: a programmatic subscription replaces the declarative one for the
    // same pub/sub and topic, so every event reaches the programmatic route (none is split off to the declarative one).
    [Fact]
    public async Task ProgrammaticSubscription_ReplacesTheDeclarativeOneForTheSameTopic()
    {
        var topic = PubSubHarness.NewName("orders");
        var appId = PubSubHarness.NewName("sub");
        var (programmatic, declarative) = (new Inbox<Note>(), new Inbox<Note>());
        var subscription = ("subscription.yaml", $"""
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata:
              name: orders
            spec:
              pubsubname: pubsub
              topic: {topic}
              routes:
                default: /declarative
            """);
        await using var harness = await PubSubHarness.StartAsync(appId, app =>
        {
            app.MapPost("/declarative", (Note n) => { declarative.Add(n); return Results.Ok(); });
            app.MapPost("/programmatic", (Note n) => { programmatic.Add(n); return Results.Ok(); }).WithTopic("pubsub", topic);
        }, [subscription]);

        for (var i = 0; i < 6; i++)
        {
            await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note($"n-{i}"));
        }

        Assert.Equal(6, (await programmatic.WaitForAsync(6)).Count);
        await declarative.AssertStaysAtAsync(0, TimeSpan.FromMilliseconds(300));
        using var http = new HttpClient();
        var metadata = await http.GetFromJsonAsync<JsonElement>($"{harness.Sidecar.HttpEndpoint}/v1.0/metadata");
        var listed = metadata.GetProperty("subscriptions").EnumerateArray().Where(s => s.GetProperty("topic").GetString() == topic).ToList();
        Assert.Equal("PROGRAMMATIC", Assert.Single(listed).GetProperty("type").GetString());
    }

    // The brief's rule (daprd itself, with full CEL, refuses every programmatic subscription only for a rule that is not
    // CEL at all: pkg/runtime/pubsub/subscriptions.go GetSubscriptionsHTTP): a rule outside the supported part of CEL
    // leaves out that subscription alone, and the app's other subscriptions still deliver.
    [Fact]
    public async Task RuleOutsideTheSupportedCel_LeavesOutOnlyThatSubscription()
    {
        var (good, bad) = (PubSubHarness.NewName("good"), PubSubHarness.NewName("bad"));
        var received = new Inbox<Note>();
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("sub"), app =>
        {
            app.MapPost("/bad", (Note n) => { received.Add(n); return Results.Ok(); })
                .WithTopic(new TopicOptions { PubsubName = "pubsub", Name = bad, Match = "event.type.lowerAscii() == \"x\"", Priority = 1 });
            app.MapPost("/good", (Note n) => { received.Add(n); return Results.Ok(); })
                .WithTopic(new TopicOptions { PubsubName = "pubsub", Name = good, Match = "event.type.startsWith(\"com.dapr\")", Priority = 1 });
        });

        await harness.Sidecar.Client.PublishEventAsync("pubsub", good, new Note("g"));
        await harness.Sidecar.Client.PublishEventAsync("pubsub", bad, new Note("b"));

        Assert.Equal("g", (await received.WaitForAsync(1)).Single().Id);
        await received.AssertStaysAtAsync(1, TimeSpan.FromMilliseconds(300));
        var topics = harness.Sidecar.Host.Services.GetService(typeof(ISubscriptionRegistry)) is ISubscriptionRegistry registry
            ? registry.Subscriptions.Select(s => s.Topic).ToList() : [];
        Assert.Contains(good, topics);
        Assert.DoesNotContain(bad, topics);
    }
}

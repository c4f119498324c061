using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.PubSub.Subscriptions;

/// <summary>Subscription resources that do not depend on the broker: scopes, and rules the sidecar cannot evaluate.</summary>
public sealed class DeclarativeSubscriptionTests
{
    private sealed record Note(string Id);

    [Fact]
    public async Task DeclarativeSubscription_ScopedToAnotherApp_DeliversNothing()
    {
        var topic = PubSubHarness.NewName("orders");
        var received = new Inbox<Note>();
        var subscription = ("subscription.yaml", $"""
            apiVersion: dapr.io/v1alpha1
            kind: Subscription
            metadata:
              name: orders
            spec:
              pubsubname: pubsub
              topic: {topic}
              route: /notes
            scopes:
              - someone-else
            """);
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("sub"), app =>
            app.MapPost("/notes", (Note n) => { received.Add(n); return Results.Ok(); }), [subscription]);

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("x"));

        await received.AssertStaysAtAsync(0, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task DeclarativeSubscription_WithAnUnsupportedRule_FailsTheStartNamingTheExpression()
    {
        using var folder = ResourcesFolder.InMemory();
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "subscription.yaml"), """
            apiVersion: dapr.io/v2alpha1
            kind: Subscription
            metadata:
              name: bad
            spec:
              pubsubname: pubsub
              topic: t
              routes:
                rules:
                  - match: event.type.lowerAscii() == "order"
                    path: /x
            """);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestSidecar.StartAsync(PubSubHarness.NewName("sub"), folder.Path,
            o => o with { AppPort = FreePort.Next() }));

        Assert.Contains("event.type.lowerAscii() == \"order\"", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("subscription.yaml", error.ToString(), StringComparison.Ordinal);
    }
}

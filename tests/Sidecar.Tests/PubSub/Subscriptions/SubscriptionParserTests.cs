using System.Text.Json;
using System.Text.Json.Nodes;
using Sidecar.AppChannel.Resources;
using Sidecar.PubSub.Subscriptions;

namespace Sidecar.Tests.PubSub.Subscriptions;

public sealed class SubscriptionParserTests
{
    private static Subscription Parse(string json) =>
        SubscriptionParser.Parse(SpecTree.From(JsonDocument.Parse(json).RootElement), SubscriptionKind.Programmatic, "test");

    [Fact]
    public void Parse_DaprAspNetCoreShape_ReadsCamelCaseFieldsAndAddsTheLeadingSlash()
    {
        var subscription = Parse("""
            {"pubsubName":"pubsub","topic":"orders","routes":{"rules":[{"match":"event.type == \"a\"","path":"a"}],"default":"orders"},
             "deadLetterTopic":"dead","metadata":{"rawPayload":"false"},"bulkSubscribe":{"enabled":true,"maxMessagesCount":5,"maxAwaitDurationMs":40}}
            """);

        Assert.Equal(("pubsub", "orders", "dead"), (subscription.PubSubName, subscription.Topic, subscription.DeadLetterTopic));
        Assert.Equal("/a", subscription.PathFor(new JsonObject { ["type"] = "a" }));
        Assert.Equal("/orders", subscription.PathFor(new JsonObject { ["type"] = "b" }));
        Assert.Equal(new BulkSubscribeOptions(5, TimeSpan.FromMilliseconds(40)), subscription.BulkSubscribe);
        Assert.Equal("false", subscription.Metadata["rawPayload"]);
    }

    [Fact]
    public void Parse_SingleRoute_IsTheDefault()
    {
        var subscription = Parse("""{"PUBSUBNAME":"pubsub","Topic":"items","route":"/items"}""");

        Assert.Equal("/items", subscription.PathFor(new JsonObject()));
        Assert.Null(subscription.BulkSubscribe);
    }

    [Fact]
    public void Parse_RulesWithoutDefault_SkipEventsThatMatchNothing()
    {
        var subscription = Parse("""{"pubsubname":"p","topic":"t","routes":{"rules":[{"match":"event.type == \"a\"","path":"a"}]}}""");

        Assert.Null(subscription.PathFor(new JsonObject { ["type"] = "b" }));
    }

    [Fact]
    public void Parse_MissingTopic_FailsNamingWhere()
    {
        var error = Assert.Throws<FormatException>(() => Parse("""{"pubsubname":"p"}"""));

        Assert.Contains("test", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnsupportedRule_FailsNamingTheTopicAndExpression()
    {
        var error = Assert.Throws<FormatException>(() =>
            Parse("""{"pubsubname":"p","topic":"t","routes":{"rules":[{"match":"event.type.lowerAscii() == \"a\"","path":"a"}]}}"""));

        Assert.Contains("topic 't'", error.Message, StringComparison.Ordinal);
        Assert.Contains("event.type.lowerAscii() == \"a\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Declarative_AppliesScopesAndReadsV1Route()
    {
        var spec = new Dictionary<string, object?> { ["pubsubname"] = "pubsub", ["topic"] = "t", ["route"] = "/t" };
        var documents = new[]
        {
            new SubscriptionDocument("mine", "dapr.io/v1alpha1", spec, ["app-a"], "a.yaml"),
            new SubscriptionDocument("theirs", "dapr.io/v1alpha1", spec, ["app-b"], "b.yaml"),
        };

        var subscription = Assert.Single(DeclarativeSubscriptions.For(documents, "app-a"));

        Assert.Equal(SubscriptionKind.Declarative, subscription.Kind);
        Assert.Equal("/t", subscription.PathFor(new JsonObject()));
    }
}

using System.Text.Json.Nodes;
using Sidecar.PubSub.Subscriptions;

namespace Sidecar.Tests.PubSub.Subscriptions;

public sealed class RouteExpressionTests
{
    private static readonly JsonObject Event = new()
    {
        ["type"] = "order.cancelled",
        ["source"] = "orders",
        ["data"] = new JsonObject
        {
            ["kind"] = "vip",
            ["amount"] = 12,
            ["order"] = new JsonObject { ["total"] = 250.5, ["express"] = true, ["tags"] = new JsonArray("gift", "fragile") },
        },
    };

    [Theory]
    [InlineData("event.type == \"order.cancelled\"", true)]
    [InlineData("event.type == 'order.completed'", false)]
    [InlineData("event.type != \"order.completed\"", true)]
    [InlineData("event.type == \"order.cancelled\" && event.source == \"orders\"", true)]
    [InlineData("event.type == \"order.cancelled\" && event.source == \"catalog\"", false)]
    [InlineData("event.type == \"x\" || event.source == \"orders\"", true)]
    [InlineData("(event.type == \"x\" || event.type == \"y\") && event.source == \"orders\"", false)]
    [InlineData("!(event.type == \"x\")", true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("event.data.kind == \"vip\"", true)]
    [InlineData("event.data.amount == 12", true)]
    [InlineData("event.missing == \"x\"", false)]
    [InlineData("event.data.order.total > 100", true)]
    [InlineData("event.data.order.total >= 250.5 && event.data.order.total < 251", true)]
    [InlineData("event.data.amount <= -1", false)]
    [InlineData("event.data.order.express == true", true)]
    [InlineData("event.data.order.express", true)]
    [InlineData("event.type in [\"order.cancelled\", \"order.completed\"]", true)]
    [InlineData("event.type in ['x', 'y']", false)]
    [InlineData("\"gift\" in event.data.order.tags", true)]
    [InlineData("\"kind\" in event.data", true)]
    [InlineData("event.type.startsWith(\"order.\")", true)]
    [InlineData("event.type.endsWith(\".completed\")", false)]
    [InlineData("event.source.contains(\"der\")", true)]
    [InlineData("event.type.matches(\"^order\\\\.(cancelled|completed)$\")", true)]
    [InlineData("size(event.data.order.tags) == 2 && event.type.size() > 5", true)]
    [InlineData("has(event.data.kind) && !has(event.data.missing)", true)]
    [InlineData("event.type > \"a\"", true)]
    [InlineData("event.missing.deeper == null", true)]
    public void Matches_EvaluatesTheSubset(string expression, bool expected)
    {
        Assert.Equal(expected, RouteExpression.Parse(expression).Matches(Event));
    }

    [Theory]
    [InlineData("event.type == \"unterminated")]
    [InlineData("(event.type == \"x\"")]
    [InlineData("event.type.lowerAscii() == \"x\"")]
    [InlineData("event.data.items.exists(i, i > 1)")]
    [InlineData("event.data.amount + 1 > 2")]
    [InlineData("timestamp(event.time) > timestamp(\"2020-01-01T00:00:00Z\")")]
    [InlineData("request.type == \"x\"")]
    public void Parse_OutsideTheSubset_FailsNamingTheExpression(string expression)
    {
        var error = Assert.Throws<FormatException>(() => RouteExpression.Parse(expression));

        Assert.Contains(expression, error.Message, StringComparison.Ordinal);
    }
}

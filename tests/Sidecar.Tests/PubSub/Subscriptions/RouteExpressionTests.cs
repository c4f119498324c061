using System.Text.Json.Nodes;
using Sidecar.PubSub.Subscriptions;

namespace Sidecar.Tests.PubSub.Subscriptions;

public sealed class RouteExpressionTests
{
    private static readonly JsonObject Event = new()
    {
        ["type"] = "order.cancelled",
        ["source"] = "orders",
        ["data"] = new JsonObject { ["kind"] = "vip", ["amount"] = 12 },
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
    public void Matches_EvaluatesTheSubset(string expression, bool expected)
    {
        Assert.Equal(expected, RouteExpression.Parse(expression).Matches(Event));
    }

    [Theory]
    [InlineData("event.type.startsWith(\"order\")")]
    [InlineData("event.type > \"a\"")]
    [InlineData("size(event.data) == 1")]
    [InlineData("event.type == \"unterminated")]
    [InlineData("(event.type == \"x\"")]
    public void Parse_OutsideTheSubset_FailsNamingTheExpression(string expression)
    {
        var error = Assert.Throws<FormatException>(() => RouteExpression.Parse(expression));

        Assert.Contains(expression, error.Message, StringComparison.Ordinal);
    }
}

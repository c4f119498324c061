using System.Text.Json.Nodes;

namespace Sidecar.PubSub.Subscriptions;

/// <summary>
/// The part of CEL that routing rules are written in (the Dapr docs and quickstarts): CloudEvent fields at any depth
/// (<c>event.type</c>, <c>event.data.order.amount</c>), string, number, boolean, <c>null</c> and list literals,
/// <c>== != &lt; &lt;= &gt; &gt;=</c>, <c>in</c>, <c>&amp;&amp; || !</c>, parentheses, the string methods
/// <c>startsWith</c>, <c>endsWith</c>, <c>contains</c>, <c>matches</c>, and <c>size()</c> and <c>has()</c>.
/// A missing field reads as null (it matches nothing). Anything else is refused when the subscription loads,
/// naming the expression.
/// </summary>
// dapr/dapr pkg/runtime/pubsub/subscriptions.go CreateRoutingRule (CEL with the variable `event`)
public sealed class RouteExpression
{
    private readonly Func<JsonObject, object?> _evaluate;

    private RouteExpression(string text, Func<JsonObject, object?> evaluate)
    {
        Text = text;
        _evaluate = evaluate;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming it when it is outside the subset.</summary>
    public static RouteExpression Parse(string text)
    {
        try
        {
            return new RouteExpression(text, new RouteParser(RouteTokenizer.Tokenize(text)).ParseWhole());
        }
        catch (FormatException ex)
        {
            throw new FormatException(
                $"routing rule '{text}' is not supported: {ex.Message}. Supported: event.<field>, literals, lists, == != < <= > >=, in, "
                + "&& || !, parentheses, startsWith/endsWith/contains/matches, size(), has()",
                ex);
        }
    }

    /// <summary>Whether the CloudEvent matches (a result that is not <c>true</c> does not).</summary>
    public bool Matches(JsonObject cloudEvent) => _evaluate(cloudEvent) is true;

    public override string ToString() => Text;
}

namespace Sidecar.AppChannel.Resiliency;

/// <summary>
/// A circuit breaker's <c>trip</c>: the CEL expression daprd evaluates with the breaker's counts after each failure
/// while closed. This reads the part of CEL such conditions are written in: the five count variables, integer and
/// decimal literals, <c>true</c>/<c>false</c>, <c>+ - * / %</c>, comparisons, <c>! &amp;&amp; ||</c> and parentheses,
/// with CEL's rules (integer division, an error on division by zero or overflow, <c>&amp;&amp;</c>/<c>||</c> that absorb
/// an error when the other side decides). An evaluation error, as in daprd, does not trip.
/// </summary>
// dapr/dapr pkg/resiliency/breaker/circuitbreaker.go Initialize (tripFn), pkg/expr/expr.go
public sealed class TripExpression
{
    private readonly TripNode _root;

    private TripExpression(string text, TripNode root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>Reads <paramref name="text"/>; anything outside the supported part of CEL throws a <see cref="FormatException"/> saying what.</summary>
    public static TripExpression Parse(string text)
    {
        var root = new TripParser(text).ParseWhole();
        return root.Type == TripType.Bool ? new TripExpression(text, root)
            : throw new FormatException($"trip '{text}' is a number, not a condition (write e.g. 'consecutiveFailures > 5')");
    }

    /// <summary>True when the breaker must open.</summary>
    public bool ShouldTrip(BreakerCounts counts) => _root.Evaluate(counts) is { IsError: false, Value: true };

    public override string ToString() => Text;
}

using Sidecar.AppChannel.Resiliency;

namespace Sidecar.Tests.AppChannel.Resiliency;

/// <summary>
/// Circuit breaker <c>trip</c> expressions: the CEL conditions daprd evaluates with the breaker's counts
/// (dapr/dapr pkg/resiliency/breaker/circuitbreaker.go Initialize, pkg/expr/expr.go).
/// </summary>
public sealed class TripExpressionTests
{
    private static readonly BreakerCounts Counts = new(Requests: 10, TotalSuccesses: 4, TotalFailures: 6, ConsecutiveSuccesses: 0, ConsecutiveFailures: 3);

    [Theory]
    [InlineData("consecutiveFailures > 2", true)]
    [InlineData("consecutiveFailures > 3", false)]
    [InlineData("consecutiveFailures >= 3", true)]
    [InlineData("consecutiveFailures == 3", true)]
    [InlineData("consecutiveFailures != 3", false)]
    [InlineData("consecutiveFailures < 4 && consecutiveFailures <= 3", true)]
    [InlineData("requests > 20 || totalFailures > 5", true)]
    [InlineData("requests >= 10 && totalFailures > 5", true)]
    [InlineData("requests > 5 && (consecutiveFailures > 10 || totalFailures >= 6)", true)]
    [InlineData("(requests > 5 && consecutiveFailures > 10) || totalFailures > 6", false)]
    [InlineData("totalFailures * 2 > requests", true)]
    [InlineData("totalFailures / requests > 0", false)] // integer division, as CEL's int
    [InlineData("totalFailures * 100 / requests >= 60", true)]
    [InlineData("requests - totalSuccesses == totalFailures", true)]
    [InlineData("requests % 3 == 1", true)]
    [InlineData("!(consecutiveFailures > 5)", true)]
    [InlineData("consecutiveSuccesses == 0 && totalSuccesses < 5", true)]
    [InlineData("totalFailures > 5.5", true)]
    [InlineData("-consecutiveFailures < 0", true)]
    [InlineData("true", true)]
    public void Expression_IsEvaluatedWithTheBreakersCounts(string trip, bool expected) =>
        Assert.Equal(expected, TripExpression.Parse(trip).ShouldTrip(Counts));

    // dapr/dapr pkg/resiliency/breaker/circuitbreaker.go tripFn: an evaluation error does not trip.
    [Fact]
    public void EvaluationError_DoesNotTrip() =>
        Assert.False(TripExpression.Parse("totalFailures / requests > 0").ShouldTrip(default));

    // CEL's commutative && and ||: a side that decides the result absorbs an error on the other.
    [Fact]
    public void DecidingSide_AbsorbsAnErrorOnTheOther()
    {
        Assert.True(TripExpression.Parse("totalFailures / requests > 0 || consecutiveFailures == 0").ShouldTrip(default));
        Assert.False(TripExpression.Parse("totalFailures / requests > 0 && consecutiveFailures == 0").ShouldTrip(default));
    }

    [Theory]
    [InlineData("failures > 5", "unknown variable 'failures'")]
    [InlineData("consecutiveFailures", "a number, not a condition")]
    [InlineData("consecutiveFailures > 5 &&", "ends too early")]
    [InlineData("(consecutiveFailures > 5", "')' expected")]
    [InlineData("consecutiveFailures > 5 & requests > 1", "unexpected '&")]
    [InlineData("consecutiveFailures + true > 1", "cannot combine")]
    [InlineData("requests > 1 && 5", "needs conditions on both sides")]
    [InlineData("size(requests) > 1", "functions and fields ('size(') are not supported")]
    public void ExpressionOutsideTheSupportedPart_FailsSayingWhy(string trip, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TripExpression.Parse(trip));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains($"trip '{trip}'", error.Message, StringComparison.Ordinal);
    }
}

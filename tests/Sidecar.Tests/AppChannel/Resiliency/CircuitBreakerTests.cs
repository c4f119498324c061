using Microsoft.Extensions.Time.Testing;
using Sidecar.AppChannel.Resiliency;

namespace Sidecar.Tests.AppChannel.Resiliency;

/// <summary>Breaker states as daprd keeps them through sony/gobreaker v0.5.0 (gobreaker.go), on a fake clock.</summary>
public sealed class CircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new();

    private CircuitBreaker Breaker(string? trip, uint maxRequests = 1, int timeoutSeconds = 10, int intervalSeconds = 0) => new(
        new CircuitBreakerPolicy("cb", trip is null ? null : TripExpression.Parse(trip), TimeSpan.FromSeconds(timeoutSeconds),
            TimeSpan.FromSeconds(intervalSeconds), maxRequests), _time);

    private static void Call(CircuitBreaker breaker, bool success) => breaker.Exit(breaker.Enter("target"), success);

    // sony/gobreaker defaultReadyToTrip: consecutiveFailures > 5 when no trip is written.
    [Fact]
    public void DefaultTrip_OpensOnTheSixthFailureInARow()
    {
        var breaker = Breaker(null);
        for (var i = 0; i < 5; i++)
        {
            Call(breaker, false);
        }

        Assert.Equal(BreakerState.Closed, breaker.State);
        Call(breaker, false);
        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.Equal("circuit breaker is open", Assert.Throws<CircuitBreakerOpenException>(() => breaker.Enter("target")).Reason);
    }

    // sony/gobreaker Counts: a success resets consecutiveFailures, not totalFailures.
    [Fact]
    public void TotalFailuresTrip_CountsFailuresAcrossSuccesses()
    {
        var consecutive = Breaker("consecutiveFailures >= 3");
        var total = Breaker("totalFailures >= 3");
        foreach (var success in new[] { false, false, true, false })
        {
            Call(consecutive, success);
            Call(total, success);
        }

        Assert.Equal(BreakerState.Closed, consecutive.State);
        Assert.Equal(BreakerState.Open, total.State);
    }

    // sony/gobreaker onFailure: the trip is evaluated after failures only, with requests counted on entry.
    [Fact]
    public void RequestsTrip_IsEvaluatedOnFailureWithRequestsCounted()
    {
        var breaker = Breaker("requests >= 4 && totalFailures * 2 >= requests");
        Call(breaker, true);
        Call(breaker, false);
        Call(breaker, true);
        Assert.Equal(BreakerState.Closed, breaker.State); // 3 requests: not yet evaluated true
        Call(breaker, false);
        Assert.Equal(BreakerState.Open, breaker.State); // 4 requests, 2 failures
    }

    // sony/gobreaker currentState: open until the timeout has passed, then half-open.
    [Fact]
    public void OpenBreaker_TurnsHalfOpenAfterItsTimeout()
    {
        var breaker = Breaker("consecutiveFailures > 0", timeoutSeconds: 10);
        Call(breaker, false);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(BreakerState.Open, breaker.State); // gobreaker: expiry.Before(now), strictly after
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(BreakerState.HalfOpen, breaker.State);
    }

    // sony/gobreaker beforeRequest (ErrTooManyRequests) and onSuccess in half-open.
    [Fact]
    public void HalfOpen_LetsMaxRequestsThrough_AndClosesAfterThatManySuccesses()
    {
        var breaker = Breaker("consecutiveFailures > 0", maxRequests: 2);
        Call(breaker, false);
        _time.Advance(TimeSpan.FromSeconds(11));

        var first = breaker.Enter("target");
        var second = breaker.Enter("target");
        Assert.Equal("too many requests", Assert.Throws<CircuitBreakerOpenException>(() => breaker.Enter("target")).Reason);
        breaker.Exit(first, true);
        Assert.Equal(BreakerState.HalfOpen, breaker.State);
        breaker.Exit(second, true);
        Assert.Equal(BreakerState.Closed, breaker.State);
    }

    // sony/gobreaker onFailure in half-open: one failure opens it again.
    [Fact]
    public void HalfOpen_FailureOpensAgain()
    {
        var breaker = Breaker("consecutiveFailures > 0", maxRequests: 3);
        Call(breaker, false);
        _time.Advance(TimeSpan.FromSeconds(11));

        Call(breaker, true);
        Call(breaker, false);

        Assert.Equal(BreakerState.Open, breaker.State);
    }

    // sony/gobreaker toNewGeneration: `interval` clears the counts while closed.
    [Fact]
    public void Interval_ClearsTheCountsWhileClosed()
    {
        var breaker = Breaker("consecutiveFailures >= 3", intervalSeconds: 30);
        Call(breaker, false);
        Call(breaker, false);
        _time.Advance(TimeSpan.FromSeconds(31));
        Call(breaker, false);

        Assert.Equal(BreakerState.Closed, breaker.State);
        Call(breaker, false);
        Call(breaker, false);
        Assert.Equal(BreakerState.Open, breaker.State);
    }

    // sony/gobreaker afterRequest: the outcome of a call begun in an earlier generation is ignored.
    [Fact]
    public void OutcomeOfACallFromAnEarlierGeneration_IsIgnored()
    {
        var breaker = Breaker("consecutiveFailures > 0");
        var slow = breaker.Enter("target");
        Call(breaker, false); // opens: a new generation
        _time.Advance(TimeSpan.FromSeconds(11));

        breaker.Exit(slow, false);

        Assert.Equal(BreakerState.HalfOpen, breaker.State);
    }
}

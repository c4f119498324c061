namespace Sidecar.AppChannel.Resiliency;

/// <summary>What a Resiliency resource asks for one target (an app, or a component's inbound or outbound side).</summary>
public sealed record TargetPolicy(RetryPolicy? Retry, TimeSpan? Timeout, CircuitBreakerPolicy? CircuitBreaker);

/// <summary>
/// A named circuit breaker: closed until <see cref="Trip"/> holds after a failure (default
/// <c>consecutiveFailures &gt; 5</c>), open for <see cref="Timeout"/> (default 60s), then half-open for
/// <see cref="MaxRequests"/> trial calls (default 1). <see cref="Interval"/> (default 0: never) clears the counts
/// while closed.
/// </summary>
// dapr/dapr pkg/resiliency/breaker/circuitbreaker.go CircuitBreaker; sony/gobreaker v0.5.0 NewCircuitBreaker defaults
public sealed record CircuitBreakerPolicy(string Name, TripExpression? Trip, TimeSpan Timeout, TimeSpan Interval, uint MaxRequests)
{
    /// <summary>gobreaker's trip when none is written.</summary>
    public bool ShouldTrip(BreakerCounts counts) => Trip?.ShouldTrip(counts) ?? counts.ConsecutiveFailures > 5;
}

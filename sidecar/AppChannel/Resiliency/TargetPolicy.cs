namespace Sidecar.AppChannel.Resiliency;

/// <summary>What a Resiliency resource asks for one target (an app, or a component's inbound side).</summary>
public sealed record TargetPolicy(RetryPolicy? Retry, TimeSpan? Timeout, CircuitBreakerPolicy? CircuitBreaker);

/// <summary>
/// A circuit breaker: it opens after more than <see cref="ConsecutiveFailures"/> failures in a row (the
/// <c>trip: consecutiveFailures &gt; N</c> expression), stays open for <see cref="OpenFor"/>, then lets
/// <see cref="MaxRequests"/> trial calls through.
/// </summary>
public sealed record CircuitBreakerPolicy(string Name, int ConsecutiveFailures, TimeSpan OpenFor, int MaxRequests);

namespace Sidecar.AppChannel.Resiliency;

/// <summary>
/// How one attempt ended, for the policy: a success, or a failure (counted by the circuit breaker) that carries the
/// status code the target answered with when there is one, so the retry policy's <c>matching</c> can decide.
/// </summary>
// dapr/dapr pkg/resiliency/retry.go CodeError
public readonly record struct AttemptVerdict(bool Succeeded, int? StatusCode)
{
    public static AttemptVerdict Success => new(true, null);

    /// <summary>A failure without a status (no answer, RETRY): always retried while the policy allows.</summary>
    public static AttemptVerdict Failure => new(false, null);

    /// <summary>A failure answered with an HTTP (100-599) or gRPC (0-16) status: retried when <c>matching</c> allows.</summary>
    public static AttemptVerdict FailureWithStatus(int statusCode) => new(false, statusCode);
}

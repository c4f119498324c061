namespace Sidecar.AppChannel.Resiliency;

/// <summary>What a circuit breaker has counted in its current generation: the variables a <c>trip</c> expression sees.</summary>
// sony/gobreaker v0.5.0 Counts; dapr/dapr pkg/resiliency/breaker/circuitbreaker.go Initialize (the variable names)
public readonly record struct BreakerCounts(
    long Requests, long TotalSuccesses, long TotalFailures, long ConsecutiveSuccesses, long ConsecutiveFailures)
{
    /// <summary>The names a trip expression may use, as daprd passes them to CEL.</summary>
    public static readonly IReadOnlyList<string> VariableNames =
        ["requests", "totalSuccesses", "totalFailures", "consecutiveSuccesses", "consecutiveFailures"];

    internal long Get(string name) => name switch
    {
        "requests" => Requests,
        "totalSuccesses" => TotalSuccesses,
        "totalFailures" => TotalFailures,
        "consecutiveSuccesses" => ConsecutiveSuccesses,
        _ => ConsecutiveFailures,
    };

    internal BreakerCounts OnRequest() => this with { Requests = Requests + 1 };

    internal BreakerCounts OnSuccess() => this with
    {
        TotalSuccesses = TotalSuccesses + 1, ConsecutiveSuccesses = ConsecutiveSuccesses + 1, ConsecutiveFailures = 0,
    };

    internal BreakerCounts OnFailure() => this with
    {
        TotalFailures = TotalFailures + 1, ConsecutiveFailures = ConsecutiveFailures + 1, ConsecutiveSuccesses = 0,
    };
}

namespace Sidecar.AppChannel.Resiliency;

/// <summary>The state of one circuit breaker: closed, open until a time, then half-open for a few trial calls.</summary>
public sealed class CircuitBreaker(CircuitBreakerPolicy policy, TimeProvider time)
{
    private readonly Lock _gate = new();
    private int _failures;
    private DateTimeOffset? _openUntil;
    private int _trials;

    public CircuitBreakerPolicy Policy { get; } = policy;

    /// <summary>False while the breaker is open: the call must not be made.</summary>
    public bool TryEnter()
    {
        lock (_gate)
        {
            if (_openUntil is not { } until)
            {
                return true;
            }

            if (time.GetUtcNow() < until)
            {
                return false;
            }

            // Half-open: let a bounded number of trial calls through.
            return _trials++ < Math.Max(1, Policy.MaxRequests);
        }
    }

    public void Success()
    {
        lock (_gate)
        {
            _failures = 0;
            _openUntil = null;
            _trials = 0;
        }
    }

    public void Failure()
    {
        lock (_gate)
        {
            if (_openUntil is not null || ++_failures > Policy.ConsecutiveFailures)
            {
                _openUntil = time.GetUtcNow() + Policy.OpenFor;
                _trials = 0;
            }
        }
    }
}

/// <summary>The call was not made because the target's circuit breaker is open.</summary>
public sealed class CircuitBreakerOpenException(string target)
    : Exception($"circuit breaker is open for {target}");

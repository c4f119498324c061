namespace Sidecar.AppChannel.Resiliency;

/// <summary>A circuit breaker's state, named as daprd logs and reports it.</summary>
public enum BreakerState
{
    Closed,
    Open,
    HalfOpen,
}

/// <summary>
/// One circuit breaker's state, as gobreaker (which daprd uses) keeps it, on the injected clock. Closed: calls pass and
/// are counted; a failure for which the trip holds opens it. Open: calls are refused until the timeout has passed.
/// Half-open: at most <c>maxRequests</c> calls pass; that many successes in a row close it, one failure opens it again.
/// Each state change (and each <c>interval</c> while closed) starts a new generation with cleared counts; the outcome
/// of a call begun in an earlier generation is ignored.
/// </summary>
// sony/gobreaker v0.5.0 gobreaker.go beforeRequest, afterRequest, currentState, toNewGeneration
public sealed class CircuitBreaker
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private BreakerCounts _counts;
    private long _generation;
    private DateTimeOffset? _expiry;
    private BreakerState _state = BreakerState.Closed;

    public CircuitBreaker(CircuitBreakerPolicy policy, TimeProvider time)
    {
        Policy = policy;
        _time = time;
        NewGeneration(time.GetUtcNow());
    }

    public CircuitBreakerPolicy Policy { get; }

    /// <summary>The state now (an open breaker whose timeout has passed reads half-open).</summary>
    public BreakerState State
    {
        get
        {
            lock (_gate)
            {
                return Current(_time.GetUtcNow());
            }
        }
    }

    /// <summary>Lets a call through and returns its generation, or throws <see cref="CircuitBreakerOpenException"/>.</summary>
    public long Enter(string target)
    {
        lock (_gate)
        {
            var state = Current(_time.GetUtcNow());
            if (state == BreakerState.Open)
            {
                throw new CircuitBreakerOpenException(target, "circuit breaker is open");
            }

            if (state == BreakerState.HalfOpen && _counts.Requests >= Policy.MaxRequests)
            {
                throw new CircuitBreakerOpenException(target, "too many requests");
            }

            _counts = _counts.OnRequest();
            return _generation;
        }
    }

    /// <summary>Records the outcome of a call let through in <paramref name="generation"/>.</summary>
    public void Exit(long generation, bool success)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var state = Current(now);
            if (generation != _generation)
            {
                return;
            }

            if (success)
            {
                _counts = _counts.OnSuccess();
                if (state == BreakerState.HalfOpen && _counts.ConsecutiveSuccesses >= Policy.MaxRequests)
                {
                    SetState(BreakerState.Closed, now);
                }
            }
            else if (state == BreakerState.HalfOpen)
            {
                SetState(BreakerState.Open, now);
            }
            else if (state == BreakerState.Closed)
            {
                _counts = _counts.OnFailure();
                if (Policy.ShouldTrip(_counts))
                {
                    SetState(BreakerState.Open, now);
                }
            }
        }
    }

    private BreakerState Current(DateTimeOffset now)
    {
        if (_state == BreakerState.Closed && _expiry is { } reset && reset < now)
        {
            NewGeneration(now);
        }
        else if (_state == BreakerState.Open && _expiry < now)
        {
            SetState(BreakerState.HalfOpen, now);
        }

        return _state;
    }

    private void SetState(BreakerState state, DateTimeOffset now)
    {
        if (_state != state)
        {
            _state = state;
            NewGeneration(now);
        }
    }

    private void NewGeneration(DateTimeOffset now)
    {
        _generation++;
        _counts = default;
        _expiry = _state switch
        {
            BreakerState.Closed => Policy.Interval > TimeSpan.Zero ? now + Policy.Interval : null,
            BreakerState.Open => now + Policy.Timeout,
            _ => null,
        };
    }
}

/// <summary>The call was not made because the target's circuit breaker is open (or half-open and at its trial limit).</summary>
public sealed class CircuitBreakerOpenException(string target, string reason)
    : Exception($"{reason} for {target}")
{
    /// <summary>gobreaker's words: <c>circuit breaker is open</c> or <c>too many requests</c>.</summary>
    public string Reason { get; } = reason;
}

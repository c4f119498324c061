namespace Sidecar.AppChannel.Resiliency;

/// <summary>
/// The waits of one call under a <see cref="RetryPolicy"/>, as daprd's backoff library computes them: a count limit
/// first (<c>maxRetries</c>), then a constant wait, or an exponential one with jitter and an elapsed-time limit.
/// Not thread-safe: one instance per call.
/// </summary>
// cenkalti/backoff v4 exponential.go NextBackOff, getRandomValueFromInterval, incrementCurrentInterval; tries.go
public sealed class BackOff
{
    private readonly RetryPolicy _policy;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly DateTimeOffset _start;
    private TimeSpan _current;
    private long _tries;

    internal BackOff(RetryPolicy policy, TimeProvider time, Func<double> random)
    {
        _policy = policy;
        _time = time;
        _random = random;
        _start = time.GetUtcNow();
        _current = RetryPolicy.InitialInterval;
    }

    /// <summary>The wait before the next retry, or null when the policy gives up.</summary>
    public TimeSpan? Next()
    {
        if (_policy.MaxRetries >= 0)
        {
            if (_tries >= _policy.MaxRetries)
            {
                return null;
            }

            _tries++;
        }

        if (!_policy.Exponential)
        {
            return _policy.Duration;
        }

        var elapsed = _time.GetUtcNow() - _start;
        var next = Randomize(_current, _random());
        Grow();
        return elapsed + next > RetryPolicy.MaxElapsedTime ? null : next;
    }

    // The +1 (one nanosecond) keeps the library's rounding: each whole value in [min, max] is equally likely.
    private static TimeSpan Randomize(TimeSpan interval, double random)
    {
        var nanoseconds = interval.Ticks * 100.0;
        var delta = RetryPolicy.RandomizationFactor * nanoseconds;
        var min = nanoseconds - delta;
        var max = nanoseconds + delta;
        return TimeSpan.FromTicks((long)((min + (random * (max - min + 1))) / 100));
    }

    // maxInterval caps the interval, not the jittered wait drawn from it.
    private void Grow() => _current = _current.Ticks >= _policy.MaxInterval.Ticks / RetryPolicy.Multiplier
        ? _policy.MaxInterval
        : TimeSpan.FromTicks((long)(_current.Ticks * RetryPolicy.Multiplier));
}

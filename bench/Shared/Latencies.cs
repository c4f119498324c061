namespace Bench.Shared;

/// <summary>Latencies of one run (thread-safe) and their percentiles.</summary>
internal sealed class Latencies
{
    private readonly List<double> _milliseconds = new(capacity: 1 << 16);
    private readonly Lock _lock = new();
    private int _errors;

    public int Errors
    {
        get
        {
            lock (_lock)
            {
                return _errors;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _milliseconds.Count;
            }
        }
    }

    public void Record(TimeSpan latency, bool ok)
    {
        lock (_lock)
        {
            _milliseconds.Add(latency.TotalMilliseconds);
            if (!ok)
            {
                _errors++;
            }
        }
    }

    /// <summary>The <paramref name="p"/> quantile (0..1) in ms, nearest rank; NaN when nothing was recorded.</summary>
    public double Percentile(double p)
    {
        lock (_lock)
        {
            if (_milliseconds.Count == 0)
            {
                return double.NaN;
            }

            var sorted = _milliseconds.Order().ToArray();
            var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
        }
    }

    public double Max => Percentile(1);

    public double Mean
    {
        get
        {
            lock (_lock)
            {
                return _milliseconds.Count == 0 ? double.NaN : _milliseconds.Average();
            }
        }
    }
}

namespace LoadGen;

/// <summary>Collects request latencies and errors of one run and summarises them as percentiles.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<double> _milliseconds = new(capacity: 1 << 16);
    private readonly Lock _lock = new();
    private int _errors;

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

    public RunSummary Summarise(string name, TimeSpan duration)
    {
        lock (_lock)
        {
            var sorted = _milliseconds.Order().ToArray();
            double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
            return new RunSummary(name, sorted.Length, _errors, sorted.Length / duration.TotalSeconds,
                Percentile(0.50), Percentile(0.90), Percentile(0.99));
        }
    }
}

/// <summary>Figures of one run.</summary>
internal sealed record RunSummary(string Name, int Requests, int Errors, double RequestsPerSecond, double P50, double P90, double P99)
{
    public override string ToString() =>
        $"{Name,-28} {Requests,8} req {Errors,5} err {RequestsPerSecond,9:F0} req/s   p50 {P50,7:F2} ms   p90 {P90,7:F2} ms   p99 {P99,7:F2} ms";
}

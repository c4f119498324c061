using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace TestDoubles;

/// <summary>A meter factory of the test's own, and a recorder of what that factory's counters counted.</summary>
public static class TestMeters
{
    /// <summary>A fresh <see cref="IMeterFactory"/>, as a host would give a service.</summary>
    public static IMeterFactory Factory() =>
        new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
}

/// <summary>
/// Sums the counters of meters created by one <see cref="IMeterFactory"/> (their <see cref="Meter.Scope"/>), so tests
/// running side by side never see each other's measurements.
/// </summary>
public sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    public CounterRecorder(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        _listener.Start();
    }

    /// <summary>What the counter named <paramref name="name"/> added up to so far (0 when it never counted).</summary>
    public long Total(string name) => _totals.GetValueOrDefault(name);

    public void Dispose() => _listener.Dispose();
}

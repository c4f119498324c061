namespace Payments.Tests;

/// <summary>Real time, except that every timer fires at once; records the delays asked for so tests can count them.</summary>
public sealed class CountingTimeProvider : TimeProvider
{
    private readonly List<TimeSpan> _delays = [];

    public IReadOnlyList<TimeSpan> Requested
    {
        get
        {
            lock (_delays)
            {
                return [.. _delays];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_delays)
        {
            _delays.Add(dueTime);
        }

        return System.CreateTimer(callback, state, TimeSpan.Zero, period);
    }
}

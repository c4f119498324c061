namespace ServiceDefaults.State;

/// <summary>Settings of section <c>OptimisticConcurrency</c>: how hard <see cref="OptimisticState"/> tries.</summary>
public sealed class OptimisticConcurrencyOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OptimisticConcurrency";

    /// <summary>
    /// Attempts of one read-change-write before the request gives up (503). Each lost attempt means another writer
    /// won, so a bound above the expected burst of writers to one key never turns contention into errors.
    /// </summary>
    public int MaxAttempts { get; set; } = 32;

    /// <summary>The longest pause between two attempts; pauses grow from 1 ms and are drawn at random below the cap.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMilliseconds(20);
}

namespace Sidecar.AppChannel.Resiliency;

/// <summary>
/// A named retry policy of a Resiliency resource. <c>constant</c> waits <see cref="Duration"/> between attempts;
/// <c>exponential</c> starts at <see cref="Duration"/> and grows 1.5× per retry up to <see cref="MaxInterval"/>
/// (daprd adds ±50% jitter; this sidecar does not, so tests can predict the waits). <see cref="MaxRetries"/> -1 retries forever.
/// </summary>
public sealed record RetryPolicy(bool Exponential, TimeSpan Duration, TimeSpan MaxInterval, int MaxRetries)
{
    /// <summary>Whether another attempt may follow <paramref name="retriesSoFar"/> retries.</summary>
    public bool AllowsRetry(int retriesSoFar) => MaxRetries < 0 || retriesSoFar < MaxRetries;

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan DelayBefore(int retry)
    {
        if (!Exponential)
        {
            return Duration;
        }

        var delay = Duration.TotalMilliseconds * Math.Pow(1.5, Math.Min(retry - 1, 64));
        return TimeSpan.FromMilliseconds(Math.Min(delay, MaxInterval.TotalMilliseconds));
    }
}

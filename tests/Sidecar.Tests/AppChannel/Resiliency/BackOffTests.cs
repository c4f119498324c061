using Microsoft.Extensions.Time.Testing;
using Sidecar.AppChannel.Resiliency;

namespace Sidecar.Tests.AppChannel.Resiliency;

/// <summary>The waits between retries, as daprd's backoff library (cenkalti/backoff v4 through dapr/kit retry) computes them.</summary>
public sealed class BackOffTests
{
    private static RetryPolicy Constant(string duration, long maxRetries) =>
        new("r", false, TimeSpan.Parse(duration, System.Globalization.CultureInfo.InvariantCulture), RetryPolicy.DefaultMaxInterval, maxRetries, StatusCodeMatch.All);

    private static RetryPolicy Exponential(TimeSpan maxInterval, long maxRetries = -1) =>
        new("r", true, TimeSpan.FromSeconds(9), maxInterval, maxRetries, StatusCodeMatch.All);

    private static List<TimeSpan?> Waits(BackOff backOff, int count) => [.. Enumerable.Range(0, count).Select(_ => backOff.Next())];

    // dapr/kit retry/retry.go NewBackOff (ConstantBackOff + WithMaxRetries); cenkalti/backoff v4 tries.go
    [Fact]
    public void ConstantPolicy_WaitsDurationBetweenRetries_UpToMaxRetries()
    {
        var waits = Waits(Constant("00:00:02", 3).NewBackOff(TimeProvider.System, () => 0.9), 5);

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), null, null], waits);
    }

    // dapr/kit retry/retry.go NewBackOff: maxRetries -1 adds no count limit; 0 stops at once.
    [Fact]
    public void MaxRetriesMinusOne_RetriesForever_AndZeroNeverRetries()
    {
        var forever = Constant("00:00:01", -1).NewBackOff(TimeProvider.System, () => 0);
        Assert.All(Waits(forever, 10_000), w => Assert.Equal(TimeSpan.FromSeconds(1), w));

        Assert.Null(Constant("00:00:01", 0).NewBackOff(TimeProvider.System, () => 0).Next());
        Assert.False(Constant("00:00:01", 0).HasRetries);
    }

    // cenkalti/backoff v4 exponential.go getRandomValueFromInterval: interval × [1 - 0.5, 1 + 0.5] from 500ms, ×1.5 per retry.
    [Fact]
    public void ExponentialPolicy_JittersEachWaitAroundAnIntervalGrowingFrom500ms()
    {
        var lowest = Waits(Exponential(TimeSpan.FromSeconds(60)).NewBackOff(TimeProvider.System, () => 0), 3);
        var highest = Waits(Exponential(TimeSpan.FromSeconds(60)).NewBackOff(TimeProvider.System, () => 1), 3);

        Assert.Equal([250, 375, 562.5], lowest.Select(w => w!.Value.TotalMilliseconds));
        Assert.Equal([750, 1125, 1687.5], highest.Select(w => Math.Round(w!.Value.TotalMilliseconds, 1)));
    }

    // Resiliency's `duration` applies to constant policies only (dapr/kit retry Config: InitialInterval is not settable from the CRD).
    [Fact]
    public void ExponentialPolicy_IgnoresDuration()
    {
        var first = Exponential(TimeSpan.FromSeconds(60)).NewBackOff(TimeProvider.System, () => 0.5).Next();

        Assert.Equal(500, Math.Round(first!.Value.TotalMilliseconds));
    }

    // cenkalti/backoff v4 exponential.go incrementCurrentInterval: maxInterval caps the interval, not the jittered wait.
    [Fact]
    public void MaxInterval_CapsTheIntervalBeforeJitter()
    {
        var waits = Waits(Exponential(TimeSpan.FromSeconds(1)).NewBackOff(TimeProvider.System, () => 1), 6);

        Assert.Equal([750, 1125, 1500, 1500, 1500, 1500], waits.Select(w => Math.Round(w!.Value.TotalMilliseconds)));
    }

    // cenkalti/backoff v4 exponential.go NextBackOff: DefaultMaxElapsedTime (15 minutes) ends an exponential policy.
    [Fact]
    public void ExponentialPolicy_GivesUpAfterFifteenMinutes()
    {
        var time = new FakeTimeProvider();
        var backOff = Exponential(TimeSpan.FromSeconds(60)).NewBackOff(time, () => 0.5);

        Assert.NotNull(backOff.Next());
        time.Advance(TimeSpan.FromMinutes(14));
        Assert.NotNull(backOff.Next());
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(backOff.Next());
    }
}

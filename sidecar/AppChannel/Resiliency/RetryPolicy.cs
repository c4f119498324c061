namespace Sidecar.AppChannel.Resiliency;

/// <summary>
/// A named retry policy of a Resiliency resource. <c>constant</c> waits <see cref="Duration"/> between attempts;
/// <c>exponential</c> waits as daprd's backoff library does (<see cref="BackOff"/>): from 500ms, 1.5× per retry up to
/// <see cref="MaxInterval"/>, each wait jittered ±50%, giving up once 15 minutes have passed. <see cref="MaxRetries"/>
/// -1 (or any negative) retries without a count limit. <see cref="Matching"/> says which failing status codes are retried.
/// </summary>
// dapr/kit retry/retry.go DefaultConfig, NewBackOff; dapr/dapr pkg/apis/resiliency/v1alpha1/types.go Retry
public sealed record RetryPolicy(string Name, bool Exponential, TimeSpan Duration, TimeSpan MaxInterval, long MaxRetries, StatusCodeMatch Matching)
{
    /// <summary>The exponential policy's first interval (a Resiliency resource cannot change it).</summary>
    public static readonly TimeSpan InitialInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Each exponential wait is drawn from interval × [1 - 0.5, 1 + 0.5].</summary>
    public const double RandomizationFactor = 0.5;

    /// <summary>The exponential interval grows by this factor per retry.</summary>
    public const double Multiplier = 1.5;

    /// <summary>An exponential policy stops retrying once this much time has passed since the first attempt.</summary>
    public static readonly TimeSpan MaxElapsedTime = TimeSpan.FromMinutes(15);

    /// <summary>Constant policy's default <c>duration</c>.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(5);

    /// <summary>Exponential policy's default <c>maxInterval</c>.</summary>
    public static readonly TimeSpan DefaultMaxInterval = TimeSpan.FromSeconds(60);

    /// <summary>False for <c>maxRetries: 0</c>: the call runs once and its body need not be replayable.</summary>
    public bool HasRetries => MaxRetries != 0;

    /// <summary>A fresh wait sequence for one call; <paramref name="random"/> yields values in [0, 1).</summary>
    public BackOff NewBackOff(TimeProvider time, Func<double> random) => new(this, time, random);
}

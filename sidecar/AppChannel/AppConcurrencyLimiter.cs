using Sidecar.Hosting;

namespace Sidecar.AppChannel;

/// <summary>
/// <c>--app-max-concurrency</c> as daprd's app channel applies it (dapr/dapr <c>pkg/channel/http/http_channel.go</c>,
/// the <c>ch</c> semaphore): every call into the app (invocations, pub/sub deliveries, subscription discovery) takes a
/// slot first and waits, never fails, while all are taken; the slot is held until the app's answer has been read or
/// dropped. Health probes do not take one (<see cref="IsHealthProbe"/>). Unlimited when the flag is not set.
/// </summary>
public sealed class AppConcurrencyLimiter : IDisposable
{
    /// <summary>Marks a request that bypasses the limit, as daprd's HealthProbe does.</summary>
    public static readonly HttpRequestOptionsKey<bool> IsHealthProbe = new("dapr-local.health-probe");

    private readonly SemaphoreSlim? _slots;

    public AppConcurrencyLimiter(SidecarOptions options)
    {
        if (options.AppMaxConcurrency is > 0 and var limit)
        {
            _slots = new SemaphoreSlim(limit, limit);
        }
    }

    /// <summary>Waits for a slot; dispose the result to give it back. A caller that gives up stops waiting.</summary>
    public async ValueTask<IDisposable?> AcquireAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_slots is null || (request.Options.TryGetValue(IsHealthProbe, out var probe) && probe))
        {
            return null;
        }

        await _slots.WaitAsync(cancellationToken);
        return new Slot(_slots);
    }

    public void Dispose() => _slots?.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}

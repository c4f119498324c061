using Sidecar.Hosting;

namespace Sidecar.AppChannel;

/// <summary>
/// <c>--app-max-concurrency</c> as daprd's app channels apply it (dapr/dapr <c>pkg/channel/http/http_channel.go</c> and
/// <c>pkg/channel/grpc/grpc_channel.go</c>, the <c>ch</c> semaphore), one per sidecar shared by both: every call through
/// the HTTP channel (invocations, pub/sub deliveries, subscription discovery) and, for a gRPC app, <c>OnInvoke</c> and
/// <c>OnJobEventAlpha1</c> take a slot first and wait, never fail, while all are taken; the slot is held until the app's
/// answer has been read or dropped. Health probes do not take one (<see cref="IsHealthProbe"/>), nor do a gRPC app's
/// pub/sub, binding and proxied calls, which daprd sends on the connection without the channel. Unlimited when the
/// flag is not set.
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
    public ValueTask<IDisposable?> AcquireAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.Options.TryGetValue(IsHealthProbe, out var probe) && probe ? ValueTask.FromResult<IDisposable?>(null)
            : AcquireAsync(cancellationToken);

    /// <summary>Waits for a slot (null when unlimited); dispose the result to give it back. A caller that gives up stops waiting.</summary>
    public async ValueTask<IDisposable?> AcquireAsync(CancellationToken cancellationToken)
    {
        if (_slots is null)
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

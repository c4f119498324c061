namespace Sidecar.Hosting;

/// <summary>
/// What <c>/v1.0/healthz</c> reports. Outbound (components loaded) is ready once the components started; the sidecar is
/// ready once the host has started and every <see cref="IReadinessCheck"/> (e.g. the app channel) says so.
/// </summary>
public sealed class SidecarReadiness(IHostApplicationLifetime lifetime, IEnumerable<IReadinessCheck> checks)
{
    private readonly IReadinessCheck[] _checks = [.. checks];
    private volatile bool _componentsReady;

    /// <summary>The components are loaded: the app may call the sidecar's building blocks.</summary>
    public bool IsOutboundReady => _componentsReady;

    /// <summary>The sidecar has fully started.</summary>
    public bool IsReady =>
        _componentsReady && lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested
        && _checks.All(c => c.IsReady);

    public void MarkComponentsReady() => _componentsReady = true;
}

/// <summary>A condition <c>/v1.0/healthz</c> waits for besides the components (register with TryAddEnumerable).</summary>
public interface IReadinessCheck
{
    bool IsReady { get; }
}

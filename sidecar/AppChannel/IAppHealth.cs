namespace Sidecar.AppChannel;

/// <summary>
/// Whether the app is healthy, as app health checks see it. Without health checks the app is always healthy.
/// Delivery pauses and invocation is refused while it is not.
/// </summary>
public interface IAppHealth
{
    bool IsHealthy { get; }

    /// <summary>Raised with the new state each time the app turns healthy or unhealthy.</summary>
    event Action<bool>? Changed;

    /// <summary>Completes when the app is healthy (at once when it already is).</summary>
    Task WaitUntilHealthyAsync(CancellationToken cancellationToken);
}

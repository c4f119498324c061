namespace Sidecar.AppChannel.Resiliency;

/// <summary>The Resiliency resources that apply to this app, by target.</summary>
public interface IResiliencyPolicies
{
    /// <summary><c>spec.targets.apps.&lt;appId&gt;</c>: calls this sidecar makes to <paramref name="appId"/>, or null.</summary>
    TargetPolicy? ForApp(string appId);

    /// <summary><c>spec.targets.components.&lt;name&gt;.inbound</c>: delivery from that component to the app, or null.</summary>
    TargetPolicy? ForComponentInbound(string componentName);

    /// <summary>The shared breaker state of a target (one per target, so every caller sees it trip).</summary>
    CircuitBreaker? BreakerFor(string target, CircuitBreakerPolicy? policy);
}

namespace Sidecar.AppChannel.Resiliency;

/// <summary>The Resiliency resources that apply to this app, resolved per target as daprd resolves them.</summary>
public interface IResiliencyPolicies
{
    /// <summary><c>spec.targets.apps.&lt;appId&gt;</c>, else the <c>DefaultApp…Policy</c> / <c>Default…Policy</c> names, or null.</summary>
    TargetPolicy? ForApp(string appId);

    /// <summary><c>spec.targets.components.&lt;name&gt;.inbound</c> (delivery from that component to the app), else the defaults, or null.</summary>
    TargetPolicy? ForComponentInbound(string componentName, ComponentKind kind = ComponentKind.Pubsub);

    /// <summary><c>spec.targets.components.&lt;name&gt;.outbound</c> (calls this sidecar makes to the component), else the defaults, or null.</summary>
    TargetPolicy? ForComponentOutbound(string componentName, ComponentKind kind);

    /// <summary>The runner for invoking <paramref name="method"/> on <paramref name="appId"/>: one breaker per app and method, as daprd keys them.</summary>
    PolicyRunner RunnerForApp(string appId, string method);

    /// <summary>The runner for delivering from <paramref name="componentName"/> to the app.</summary>
    PolicyRunner RunnerForComponentInbound(string componentName, ComponentKind kind = ComponentKind.Pubsub);

    /// <summary>The runner for a call to <paramref name="componentName"/> (publish, state operation).</summary>
    PolicyRunner RunnerForComponentOutbound(string componentName, ComponentKind kind);
}

/// <summary>The component types daprd names in its default policy names (<c>DefaultPubsubComponentInboundRetryPolicy</c>).</summary>
// dapr/dapr pkg/resiliency/resiliency.go ComponentType
public enum ComponentKind
{
    Pubsub,
    Statestore,
    Binding,
    Configuration,
    Lock,
}

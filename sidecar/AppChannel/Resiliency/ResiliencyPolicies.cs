using System.Collections.Concurrent;

namespace Sidecar.AppChannel.Resiliency;

/// <summary>
/// The retry, timeout and circuit breaker policies of the Resiliency resources in scope for this app, resolved per
/// target as daprd resolves them: a target's own entry, else the default policies (<c>DefaultAppRetryPolicy</c>,
/// <c>DefaultPubsubComponentInboundRetryPolicy</c>, <c>DefaultComponentInboundRetryPolicy</c>,
/// <c>DefaultComponentRetryPolicy</c>, <c>DefaultRetryPolicy</c> and the same for timeouts and breakers). Breakers keep
/// their state per app and method (at most <c>circuitBreakerCacheSize</c>, 100, per app) and per component. A target
/// naming a policy that does not exist fails the load with the file that is wrong.
/// </summary>
// dapr/dapr pkg/resiliency/resiliency.go EndpointPolicy, ComponentInboundPolicy, ComponentOutboundPolicy, getDefaultPolicy
internal sealed class ResiliencyPolicies : IResiliencyPolicies
{
    private readonly ResiliencyReader _spec = new();
    private readonly Dictionary<string, TargetPolicy> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (TargetPolicy? Inbound, TargetPolicy? Outbound)> _components = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BreakerCache> _appBreakers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CircuitBreaker> _componentBreakers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Func<double>? _random;

    public ResiliencyPolicies(IEnumerable<ResiliencyDocument> documents, string appId, TimeProvider time, Func<double>? random = null)
    {
        _time = time;
        _random = random;
        foreach (var document in documents.Where(d => d.Scopes.Count == 0 || d.Scopes.Contains(appId, StringComparer.Ordinal)))
        {
            _spec.Read(document);
        }

        foreach (var (id, (names, _)) in _spec.Apps)
        {
            _apps[id] = Resolve(names);
        }

        foreach (var (name, (inbound, outbound)) in _spec.Components)
        {
            _components[name] = (inbound is null ? null : Resolve(inbound), outbound is null ? null : Resolve(outbound));
        }
    }

    /// <summary>No Resiliency resources: no retries, timeouts or breakers anywhere.</summary>
    public static ResiliencyPolicies Empty(TimeProvider time) => new([], "", time);

    public TargetPolicy? ForApp(string appId) =>
        _apps.TryGetValue(appId, out var policy) ? policy : Default(["App"]);

    public TargetPolicy? ForComponentInbound(string componentName, ComponentKind kind = ComponentKind.Pubsub) =>
        _components.TryGetValue(componentName, out var policies) ? policies.Inbound : Default(ComponentLevels(kind, "Inbound"));

    public TargetPolicy? ForComponentOutbound(string componentName, ComponentKind kind) =>
        _components.TryGetValue(componentName, out var policies) ? policies.Outbound : Default(ComponentLevels(kind, "Outbound"));

    public PolicyRunner RunnerForApp(string appId, string method)
    {
        var policy = ForApp(appId);
        var breaker = policy?.CircuitBreaker is { } template
            ? _appBreakers.GetOrAdd(appId, id => new BreakerCache(_spec.Apps.TryGetValue(id, out var app) ? app.BreakerCacheSize : 100))
                .GetOrAdd($"{appId}:{method}", () => new CircuitBreaker(template, _time))
            : null;
        return new PolicyRunner(policy, breaker, _time, $"app {appId}", _random);
    }

    public PolicyRunner RunnerForComponentInbound(string componentName, ComponentKind kind = ComponentKind.Pubsub) =>
        ComponentRunner(componentName, ForComponentInbound(componentName, kind), $"component {componentName} (inbound)");

    public PolicyRunner RunnerForComponentOutbound(string componentName, ComponentKind kind) =>
        ComponentRunner(componentName, ForComponentOutbound(componentName, kind), $"component {componentName} (outbound)");

    // daprd keeps one breaker per component name, shared by its inbound and outbound sides (componentCBs.Get).
    private PolicyRunner ComponentRunner(string componentName, TargetPolicy? policy, string target)
    {
        var breaker = policy?.CircuitBreaker is { } template
            ? _componentBreakers.GetOrAdd(componentName, _ => new CircuitBreaker(template, _time))
            : null;
        return new PolicyRunner(policy, breaker, _time, target, _random);
    }

    private static string[] ComponentLevels(ComponentKind kind, string direction) =>
        [$"{kind}Component{direction}", $"Component{direction}", "Component"];

    // Each of retry, timeout and breaker falls back on its own: the most specific Default<level>…Policy, then Default…Policy.
    private TargetPolicy? Default(string[] levels)
    {
        var retry = FirstDefined(_spec.Retries, levels, "Retry");
        var timeout = FirstDefined(_spec.Timeouts, levels, "Timeout");
        var breaker = FirstDefined(_spec.Breakers, levels, "CircuitBreaker");
        return retry is null && timeout is null && breaker is null ? null
            : new TargetPolicy(retry is null ? null : _spec.Retries[retry], timeout is null ? null : _spec.Timeouts[timeout],
                breaker is null ? null : _spec.Breakers[breaker]);
    }

    private static string? FirstDefined<T>(Dictionary<string, T> policies, string[] levels, string kind) =>
        levels.Select(level => $"Default{level}{kind}Policy").Append($"Default{kind}Policy").FirstOrDefault(policies.ContainsKey);

    private TargetPolicy Resolve(TargetNames names)
    {
        RetryPolicy? retry = null;
        if (names.Retry is { } retryName && !_spec.Retries.TryGetValue(retryName, out retry))
        {
            throw new InvalidOperationException($"{names.Where}: retry policy '{retryName}' is not defined under spec.policies.retries");
        }

        TimeSpan? timeout = null;
        if (names.Timeout is { } timeoutName)
        {
            timeout = _spec.Timeouts.TryGetValue(timeoutName, out var named) ? named
                : throw new InvalidOperationException($"{names.Where}: timeout '{timeoutName}' is not defined under spec.policies.timeouts");
        }

        CircuitBreakerPolicy? breaker = null;
        if (names.CircuitBreaker is { } breakerName && !_spec.Breakers.TryGetValue(breakerName, out breaker))
        {
            throw new InvalidOperationException($"{names.Where}: circuit breaker '{breakerName}' is not defined under spec.policies.circuitBreakers");
        }

        return new TargetPolicy(retry, timeout, breaker);
    }
}

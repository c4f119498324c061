using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Sidecar.AppChannel.Resources;

namespace Sidecar.AppChannel.Resiliency;

/// <summary>A <c>kind: Resiliency</c> document as the loader found it.</summary>
public sealed record ResiliencyDocument(string Name, object? Spec, IReadOnlyList<string> Scopes, string SourceFile);

/// <summary>
/// The retry, timeout and circuit breaker policies of the Resiliency resources in scope for this app, resolved per
/// target. A target naming a policy that does not exist fails the load with the file that is wrong.
/// </summary>
internal sealed partial class ResiliencyPolicies : IResiliencyPolicies
{
    private readonly Dictionary<string, TargetPolicy> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TargetPolicy> _components = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CircuitBreaker> _breakers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public ResiliencyPolicies(IEnumerable<ResiliencyDocument> documents, string appId, TimeProvider time)
    {
        _time = time;
        foreach (var document in documents.Where(d => d.Scopes.Count == 0 || d.Scopes.Contains(appId, StringComparer.Ordinal)))
        {
            Load(document);
        }
    }

    /// <summary>No Resiliency resources: no retries, timeouts or breakers anywhere.</summary>
    public static ResiliencyPolicies Empty(TimeProvider time) => new([], "", time);

    public TargetPolicy? ForApp(string appId) => _apps.GetValueOrDefault(appId);

    public TargetPolicy? ForComponentInbound(string componentName) => _components.GetValueOrDefault(componentName);

    public CircuitBreaker? BreakerFor(string target, CircuitBreakerPolicy? policy) =>
        policy is null ? null : _breakers.GetOrAdd($"{target}/{policy.Name}", _ => new CircuitBreaker(policy, _time));

    private void Load(ResiliencyDocument document)
    {
        var spec = SpecTree.From(document.Spec);
        var policies = SpecTree.Map(spec, "policies");
        var where = $"resiliency '{document.Name}' ({document.SourceFile})";

        var retries = ReadAll(SpecTree.Map(policies, "retries"), (name, node) => ReadRetry(node, $"{where} retry '{name}'"));
        var timeouts = ReadAll(SpecTree.Map(policies, "timeouts"), (name, node) => ParseDuration(node as string, $"{where} timeout '{name}'"));
        var breakers = ReadAll(SpecTree.Map(policies, "circuitBreakers"), (name, node) => ReadBreaker(name, node, $"{where} circuit breaker '{name}'"));

        var targets = SpecTree.Map(spec, "targets");
        foreach (var (appId, node) in SpecTree.Map(targets, "apps") ?? new Dictionary<string, object?>())
        {
            _apps[appId] = ReadTarget(node, retries, timeouts, breakers, $"{where} target app '{appId}'");
        }

        foreach (var (component, node) in SpecTree.Map(targets, "components") ?? new Dictionary<string, object?>())
        {
            if (SpecTree.Child(node, "inbound") is { } inbound)
            {
                _components[component] = ReadTarget(inbound, retries, timeouts, breakers, $"{where} target component '{component}' inbound");
            }
        }
    }

    private static Dictionary<string, T> ReadAll<T>(IReadOnlyDictionary<string, object?>? map, Func<string, object?, T> read)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (name, node) in map ?? new Dictionary<string, object?>())
        {
            result[name] = read(name, node);
        }

        return result;
    }

    private static TargetPolicy ReadTarget(
        object? node, Dictionary<string, RetryPolicy> retries, Dictionary<string, TimeSpan> timeouts,
        Dictionary<string, CircuitBreakerPolicy> breakers, string where)
    {
        RetryPolicy? retry = null;
        if (SpecTree.String(node, "retry") is { } retryName && !retries.TryGetValue(retryName, out retry))
        {
            throw new InvalidOperationException($"{where}: retry policy '{retryName}' is not defined under spec.policies.retries");
        }

        TimeSpan? timeout = null;
        if (SpecTree.String(node, "timeout") is { } timeoutName)
        {
            timeout = timeouts.TryGetValue(timeoutName, out var named) ? named : ParseDuration(timeoutName,
                $"{where}: timeout '{timeoutName}' is neither a policy under spec.policies.timeouts nor a duration");
        }

        CircuitBreakerPolicy? breaker = null;
        if (SpecTree.String(node, "circuitBreaker") is { } breakerName && !breakers.TryGetValue(breakerName, out breaker))
        {
            throw new InvalidOperationException($"{where}: circuit breaker '{breakerName}' is not defined under spec.policies.circuitBreakers");
        }

        return new TargetPolicy(retry, timeout, breaker);
    }

    private static RetryPolicy ReadRetry(object? node, string where)
    {
        var kind = SpecTree.String(node, "policy") ?? "constant";
        var exponential = kind.Equals("exponential", StringComparison.OrdinalIgnoreCase);
        if (!exponential && !kind.Equals("constant", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{where}: policy '{kind}' is not 'constant' or 'exponential'");
        }

        // daprd's defaults: constant every 5s; exponential from 500ms up to 60s; retry forever.
        var duration = SpecTree.String(node, "duration") is { } d ? ParseDuration(d, where)
            : exponential ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(5);
        var maxInterval = SpecTree.String(node, "maxInterval") is { } m ? ParseDuration(m, where) : TimeSpan.FromSeconds(60);
        var maxRetries = SpecTree.String(node, "maxRetries") is { } r ? ParseInt(r, $"{where} maxRetries") : -1;
        return new RetryPolicy(exponential, duration, maxInterval, maxRetries);
    }

    private static CircuitBreakerPolicy ReadBreaker(string name, object? node, string where)
    {
        var trip = SpecTree.String(node, "trip") ?? "consecutiveFailures > 5";
        var match = Trip().Match(trip);
        if (!match.Success)
        {
            throw new InvalidOperationException(
                $"{where}: trip '{trip}' is not supported; write 'consecutiveFailures > N' or 'consecutiveFailures >= N'");
        }

        var threshold = ParseInt(match.Groups[2].Value, where);
        var failures = match.Groups[1].Value == ">=" ? threshold - 1 : threshold;
        var openFor = SpecTree.String(node, "timeout") is { } t ? ParseDuration(t, where) : TimeSpan.FromSeconds(60);
        var maxRequests = SpecTree.String(node, "maxRequests") is { } mr ? ParseInt(mr, where) : 1;
        return new CircuitBreakerPolicy(name, failures, openFor, maxRequests);
    }

    private static TimeSpan ParseDuration(string? text, string where) =>
        text is null ? throw new InvalidOperationException($"{where}: a duration is required")
            : WrapFormat(() => GoDuration.Parse(text, where));

    private static int ParseInt(string text, string where) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
            : throw new InvalidOperationException($"{where}: '{text}' is not a whole number");

    private static T WrapFormat<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }
    }

    [GeneratedRegex(@"^\s*consecutiveFailures\s*(>=|>)\s*(\d+)\s*$")]
    private static partial Regex Trip();
}

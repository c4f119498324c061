using System.Globalization;
using Sidecar.AppChannel.Resources;

namespace Sidecar.AppChannel.Resiliency;

/// <summary>A <c>kind: Resiliency</c> document as the loader found it; <paramref name="Line"/> is where it starts (0: unknown).</summary>
public sealed record ResiliencyDocument(string Name, object? Spec, IReadOnlyList<string> Scopes, string SourceFile, int Line = 0)
{
    /// <summary><c>file:line</c> of the document.</summary>
    public string Location => Line > 0 ? $"{SourceFile}:{Line}" : SourceFile;
}

/// <summary>The policy names one target asks for; <see cref="Where"/> names it in errors.</summary>
internal sealed record TargetNames(string? Retry, string? Timeout, string? CircuitBreaker, string Where);

/// <summary>
/// Every policy and target of the Resiliency documents in scope, merged as daprd merges them: one namespace of policy
/// names across documents (a later definition replaces an earlier one), targets resolved against all of them.
/// </summary>
// dapr/dapr pkg/resiliency/resiliency.go decodePolicies, decodeTargets
internal sealed class ResiliencyReader
{
    private const int DefaultBreakerCacheSize = 100;

    public Dictionary<string, RetryPolicy> Retries { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, TimeSpan> Timeouts { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, CircuitBreakerPolicy> Breakers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (TargetNames Names, int BreakerCacheSize)> Apps { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (TargetNames? Inbound, TargetNames? Outbound)> Components { get; } = new(StringComparer.Ordinal);

    public void Read(ResiliencyDocument document)
    {
        var spec = SpecTree.From(document.Spec);
        var policies = SpecTree.Map(spec, "policies");
        var where = $"{document.Location}: resiliency '{document.Name}'";

        foreach (var (name, node) in Entries(SpecTree.Map(policies, "timeouts")))
        {
            Timeouts[name] = ParseDuration(node as string, $"{where} timeout '{name}'");
        }

        foreach (var (name, node) in Entries(SpecTree.Map(policies, "retries")))
        {
            Retries[name] = ReadRetry(name, node, $"{where} retry '{name}'");
        }

        foreach (var (name, node) in Entries(SpecTree.Map(policies, "circuitBreakers")))
        {
            Breakers[name] = ReadBreaker(name, node, document, $"{where} circuit breaker '{name}'");
        }

        var targets = SpecTree.Map(spec, "targets");
        foreach (var (appId, node) in Entries(SpecTree.Map(targets, "apps")))
        {
            var cacheSize = SpecTree.String(node, "circuitBreakerCacheSize") is { } size
                ? ParseInt(size, $"{where} target app '{appId}' circuitBreakerCacheSize") : 0;
            Apps[appId] = (Names(node, $"{where} target app '{appId}'"), cacheSize > 0 ? cacheSize : DefaultBreakerCacheSize);
        }

        foreach (var (component, node) in Entries(SpecTree.Map(targets, "components")))
        {
            Components[component] = (
                SpecTree.Child(node, "inbound") is { } inbound ? Names(inbound, $"{where} target component '{component}' inbound") : null,
                SpecTree.Child(node, "outbound") is { } outbound ? Names(outbound, $"{where} target component '{component}' outbound") : null);
        }
    }

    private static IEnumerable<KeyValuePair<string, object?>> Entries(IReadOnlyDictionary<string, object?>? map) =>
        map ?? new Dictionary<string, object?>();

    private static TargetNames Names(object? node, string where) => new(
        SpecTree.String(node, "retry"), SpecTree.String(node, "timeout"), SpecTree.String(node, "circuitBreaker"), where);

    // dapr/kit retry/retry.go DefaultConfig: constant, 5s, maxInterval 60s, maxRetries -1.
    private static RetryPolicy ReadRetry(string name, object? node, string where)
    {
        var kind = SpecTree.String(node, "policy") ?? "constant";
        var exponential = kind.Equals("exponential", StringComparison.OrdinalIgnoreCase);
        if (!exponential && !kind.Equals("constant", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{where}: policy '{kind}' is not 'constant' or 'exponential'");
        }

        var duration = SpecTree.String(node, "duration") is { } d ? ParseDuration(d, $"{where} duration") : RetryPolicy.DefaultDuration;
        var maxInterval = SpecTree.String(node, "maxInterval") is { } m ? ParseDuration(m, $"{where} maxInterval") : RetryPolicy.DefaultMaxInterval;
        var maxRetries = SpecTree.String(node, "maxRetries") is { } r ? ParseLong(r, $"{where} maxRetries") : -1;
        var matching = SpecTree.Child(node, "matching");
        var match = matching is null ? StatusCodeMatch.All
            : StatusCodeMatch.Parse(SpecTree.String(matching, "httpStatusCodes"), SpecTree.String(matching, "gRPCStatusCodes"), where);
        return new RetryPolicy(name, exponential, duration, maxInterval, maxRetries, match);
    }

    // dapr/dapr pkg/resiliency/breaker/circuitbreaker.go with gobreaker's defaults: maxRequests 1, timeout 60s, interval 0.
    private static CircuitBreakerPolicy ReadBreaker(string name, object? node, ResiliencyDocument document, string where)
    {
        TripExpression? trip = null;
        if (SpecTree.String(node, "trip") is { } text)
        {
            try
            {
                trip = TripExpression.Parse(text);
            }
            catch (FormatException ex)
            {
                var line = SourceLines.Find(document, "trip", text);
                throw new InvalidOperationException($"{line}: resiliency '{document.Name}' circuit breaker '{name}': {ex.Message}", ex);
            }
        }

        var timeout = SpecTree.String(node, "timeout") is { } t ? ParseDuration(t, $"{where} timeout") : TimeSpan.Zero;
        var interval = SpecTree.String(node, "interval") is { } i ? ParseDuration(i, $"{where} interval") : TimeSpan.Zero;
        var maxRequests = SpecTree.String(node, "maxRequests") is { } mr ? ParseLong(mr, $"{where} maxRequests") : 0;
        if (maxRequests is < 0 or > uint.MaxValue)
        {
            throw new InvalidOperationException($"{where}: maxRequests '{maxRequests}' is not between 0 and {uint.MaxValue}");
        }

        return new CircuitBreakerPolicy(name, trip, timeout > TimeSpan.Zero ? timeout : TimeSpan.FromSeconds(60), interval,
            maxRequests == 0 ? 1 : (uint)maxRequests);
    }

    // daprd reads a bare number as milliseconds (pkg/resiliency/resiliency.go parseDuration).
    private static TimeSpan ParseDuration(string? text, string where)
    {
        if (text is null)
        {
            throw new InvalidOperationException($"{where}: a duration is required");
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        try
        {
            return GoDuration.Parse(text, where);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }
    }

    private static int ParseInt(string text, string where) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
            : throw new InvalidOperationException($"{where}: '{text}' is not a whole number");

    private static long ParseLong(string text, string where) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
            : throw new InvalidOperationException($"{where}: '{text}' is not a whole number");
}

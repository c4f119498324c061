using Sidecar.AppChannel.Resiliency;

namespace Sidecar.Tests.AppChannel.Resiliency;

/// <summary>How Resiliency documents resolve into policies per target, as daprd's pkg/resiliency/resiliency.go resolves them.</summary>
public sealed class ResiliencyPoliciesTests
{
    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    private static ResiliencyDocument Document(object? policies, Dictionary<string, object?> targets, params string[] scopes) =>
        new("resiliency", Map(("policies", policies), ("targets", targets)), scopes, "resiliency.yaml", 1);

    private static Dictionary<string, object?> Policies() => Map(
        ("retries", Map(
            ("fast", Map(("policy", "constant"), ("duration", "10ms"), ("maxRetries", "3"))),
            ("backoff", Map(("policy", "exponential"), ("duration", "100ms"), ("maxInterval", "300ms"))))),
        ("timeouts", Map(("short", "250ms"))),
        ("circuitBreakers", Map(("cb", Map(("trip", "consecutiveFailures >= 2"), ("timeout", "1s"))))));

    [Fact]
    public void Targets_ResolveTheNamedPolicies()
    {
        var apps = Map(("catalog", Map(("retry", "backoff"), ("timeout", "short"), ("circuitBreaker", "cb"))));
        var components = Map(("pubsub", Map(("inbound", Map(("retry", "fast"))), ("outbound", Map(("timeout", "short"))))));
        var policies = new ResiliencyPolicies([Document(Policies(), Map(("apps", apps), ("components", components)))], "orders", TimeProvider.System);

        var app = policies.ForApp("catalog")!;
        Assert.True(app.Retry!.Exponential);
        Assert.Equal((TimeSpan.FromMilliseconds(300), -1L), (app.Retry.MaxInterval, app.Retry.MaxRetries));
        Assert.Equal(TimeSpan.FromMilliseconds(250), app.Timeout);
        Assert.Equal(("cb", "consecutiveFailures >= 2", TimeSpan.FromSeconds(1), TimeSpan.Zero, 1u),
            (app.CircuitBreaker!.Name, app.CircuitBreaker.Trip!.Text, app.CircuitBreaker.Timeout, app.CircuitBreaker.Interval, app.CircuitBreaker.MaxRequests));
        var inbound = policies.ForComponentInbound("pubsub")!.Retry!;
        Assert.Equal((false, TimeSpan.FromMilliseconds(10), 3L), (inbound.Exponential, inbound.Duration, inbound.MaxRetries));
        Assert.Equal(TimeSpan.FromMilliseconds(250), policies.ForComponentOutbound("pubsub", ComponentKind.Pubsub)!.Timeout);
        Assert.Null(policies.ForApp("payments"));
    }

    [Fact]
    public void Documents_ScopedToAnotherApp_AreIgnored()
    {
        var policies = new ResiliencyPolicies([Document(Policies(), Map(("apps", Map(("catalog", Map(("retry", "fast")))))), "payments")],
            "orders", TimeProvider.System);

        Assert.Null(policies.ForApp("catalog"));
    }

    [Fact]
    public void Target_NamingAnUndefinedPolicy_FailsNamingTheFileAndLine()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ResiliencyPolicies(
            [Document(Policies(), Map(("apps", Map(("catalog", Map(("retry", "nope")))))))], "orders", TimeProvider.System));

        Assert.StartsWith("resiliency.yaml:1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }

    // dapr/dapr pkg/resiliency/resiliency.go decodePolicies/decodeTargets: one namespace of policy names across documents.
    [Fact]
    public void PolicyNames_AreSharedAcrossDocuments()
    {
        var policies = new ResiliencyPolicies([
            Document(Policies(), Map()),
            Document(null, Map(("apps", Map(("catalog", Map(("retry", "fast"))))))),
        ], "orders", TimeProvider.System);

        Assert.Equal("fast", policies.ForApp("catalog")!.Retry!.Name);
    }

    // dapr/dapr pkg/resiliency/resiliency.go getDefaultPolicy, expandPolicyTemplate, ComponentPolicy.getPolicyLevels
    [Fact]
    public void DefaultPolicies_ApplyToTargetsWithoutTheirOwnEntry_MostSpecificFirst()
    {
        var retries = Map(
            ("DefaultRetryPolicy", Map(("maxRetries", "1"))),
            ("DefaultAppRetryPolicy", Map(("maxRetries", "2"))),
            ("DefaultComponentInboundRetryPolicy", Map(("maxRetries", "3"))),
            ("DefaultPubsubComponentInboundRetryPolicy", Map(("maxRetries", "4"))),
            ("own", Map(("maxRetries", "9"))));
        var targets = Map(
            ("apps", Map(("catalog", Map(("retry", "own"))))),
            ("components", Map(("statestore", Map(("outbound", Map()))))));
        var policies = new ResiliencyPolicies(
            [Document(Map(("retries", retries), ("timeouts", Map(("DefaultTimeoutPolicy", "7s")))), targets)], "orders", TimeProvider.System);

        Assert.Equal(9, policies.ForApp("catalog")!.Retry!.MaxRetries);
        Assert.Null(policies.ForApp("catalog")!.Timeout); // a target's own entry takes no defaults
        Assert.Equal((2L, TimeSpan.FromSeconds(7)), (policies.ForApp("payments")!.Retry!.MaxRetries, policies.ForApp("payments")!.Timeout!.Value));
        Assert.Equal(4, policies.ForComponentInbound("pubsub", ComponentKind.Pubsub)!.Retry!.MaxRetries);
        Assert.Equal(3, policies.ForComponentInbound("cron", ComponentKind.Statestore)!.Retry!.MaxRetries);
        Assert.Equal(1, policies.ForComponentOutbound("other", ComponentKind.Pubsub)!.Retry!.MaxRetries);
        Assert.Null(policies.ForComponentOutbound("statestore", ComponentKind.Statestore)!.Retry);
    }

    // dapr/kit retry/retry.go DefaultConfig; dapr/dapr pkg/resiliency/breaker/circuitbreaker.go (gobreaker defaults)
    [Fact]
    public void OmittedFields_TakeDaprdsDefaults()
    {
        var policySet = Map(
            ("retries", Map(("r", Map()), ("e", Map(("policy", "exponential"))))),
            ("circuitBreakers", Map(("cb", Map()))));
        var targets = Map(("apps", Map(("a", Map(("retry", "r"), ("circuitBreaker", "cb"))), ("b", Map(("retry", "e"))))));
        var policies = new ResiliencyPolicies([Document(policySet, targets)], "orders", TimeProvider.System);

        var constant = policies.ForApp("a")!.Retry!;
        Assert.Equal((false, TimeSpan.FromSeconds(5), -1L), (constant.Exponential, constant.Duration, constant.MaxRetries));
        Assert.Equal(TimeSpan.FromSeconds(60), policies.ForApp("b")!.Retry!.MaxInterval);
        var breaker = policies.ForApp("a")!.CircuitBreaker!;
        Assert.Equal((null, TimeSpan.FromSeconds(60), TimeSpan.Zero, 1u), (breaker.Trip, breaker.Timeout, breaker.Interval, breaker.MaxRequests));
        Assert.False(breaker.ShouldTrip(new BreakerCounts(5, 0, 5, 0, 5)));
        Assert.True(breaker.ShouldTrip(new BreakerCounts(6, 0, 6, 0, 6)));
    }

    [Fact]
    public void BadMatchingPattern_FailsNamingThePolicy()
    {
        var policySet = Map(("retries", Map(("r", Map(("matching", Map(("httpStatusCodes", "500-599,700"))))))));
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ResiliencyPolicies([Document(policySet, Map())], "orders", TimeProvider.System));

        Assert.Contains("retry 'r' matching.httpStatusCodes", error.Message, StringComparison.Ordinal);
        Assert.Contains("700", error.Message, StringComparison.Ordinal);
    }

    // dapr/dapr pkg/resiliency/resiliency.go componentCBs.Get: one breaker per component name, shared by inbound and outbound.
    [Fact]
    public async Task ComponentBreaker_IsSharedByInboundAndOutbound()
    {
        var policySet = Map(("circuitBreakers", Map(("cb", Map(("trip", "consecutiveFailures >= 1"))))));
        var targets = Map(("components", Map(("pubsub", Map(("inbound", Map(("circuitBreaker", "cb"))), ("outbound", Map(("circuitBreaker", "cb"))))))));
        var policies = new ResiliencyPolicies([Document(policySet, targets)], "orders", TimeProvider.System);

        await policies.RunnerForComponentInbound("pubsub").RunAsync(_ => Task.FromResult(0), _ => AttemptVerdict.Failure, null, CancellationToken.None);

        await Assert.ThrowsAsync<CircuitBreakerOpenException>(() => policies.RunnerForComponentOutbound("pubsub", ComponentKind.Pubsub)
            .RunAsync(_ => Task.FromResult(0), _ => AttemptVerdict.Success, null, CancellationToken.None));
    }
}

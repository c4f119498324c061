using Microsoft.Extensions.Time.Testing;
using Sidecar.AppChannel.Resiliency;

namespace Sidecar.Tests.AppChannel.Resiliency;

public sealed class ResiliencyPoliciesTests
{
    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    private static ResiliencyDocument Document(Dictionary<string, object?> targets, params string[] scopes) => new(
        "resiliency",
        Map(("policies", Map(
                ("retries", Map(
                    ("fast", Map(("policy", "constant"), ("duration", "10ms"), ("maxRetries", "3"))),
                    ("backoff", Map(("policy", "exponential"), ("duration", "100ms"), ("maxInterval", "300ms"))))),
                ("timeouts", Map(("short", "250ms"))),
                ("circuitBreakers", Map(("cb", Map(("trip", "consecutiveFailures >= 2"), ("timeout", "1s"))))))),
            ("targets", targets)),
        scopes,
        "resiliency.yaml:1");

    [Fact]
    public void Targets_ResolveTheNamedPolicies()
    {
        var apps = Map(("catalog", Map(("retry", "backoff"), ("timeout", "short"), ("circuitBreaker", "cb"))));
        var components = Map(("pubsub", Map(("inbound", Map(("retry", "fast"))))));
        var policies = new ResiliencyPolicies([Document(Map(("apps", apps), ("components", components)))], "orders", TimeProvider.System);

        var app = policies.ForApp("catalog")!;
        Assert.Equal(new RetryPolicy(true, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), -1), app.Retry);
        Assert.Equal(TimeSpan.FromMilliseconds(250), app.Timeout);
        Assert.Equal(new CircuitBreakerPolicy("cb", 1, TimeSpan.FromSeconds(1), 1), app.CircuitBreaker);
        Assert.Equal(new RetryPolicy(false, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(60), 3), policies.ForComponentInbound("pubsub")!.Retry);
        Assert.Null(policies.ForApp("payments"));
    }

    [Fact]
    public void Documents_ScopedToAnotherApp_AreIgnored()
    {
        var policies = new ResiliencyPolicies([Document(Map(("apps", Map(("catalog", Map(("retry", "fast")))))), "payments")],
            "orders", TimeProvider.System);

        Assert.Null(policies.ForApp("catalog"));
    }

    [Fact]
    public void Target_NamingAnUndefinedPolicy_FailsNamingTheFile()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ResiliencyPolicies(
            [Document(Map(("apps", Map(("catalog", Map(("retry", "nope")))))))], "orders", TimeProvider.System));

        Assert.Contains("resiliency.yaml:1", error.Message, StringComparison.Ordinal);
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exponential_GrowsUpToMaxInterval()
    {
        var retry = new RetryPolicy(true, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), -1);

        Assert.Equal([100, 150, 225, 300], [.. Enumerable.Range(1, 4).Select(n => retry.DelayBefore(n).TotalMilliseconds)]);
        Assert.True(retry.AllowsRetry(1_000));
    }

    [Fact]
    public async Task Runner_RetriesOnTheFakeClockThenReturnsTheSuccess()
    {
        var time = new FakeTimeProvider();
        var policy = new TargetPolicy(new RetryPolicy(false, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), 3), null, null);
        var attempts = 0;
        var run = new PolicyRunner(policy, null, time, "test").RunAsync(
            _ => Task.FromResult(++attempts), n => n < 3, null, CancellationToken.None);

        await WaitUntilAsync(() => attempts == 1);
        await Task.Delay(50);
        Assert.False(run.IsCompleted);

        // Advance until each retry has fired; an advance made before the wait is registered simply moves on.
        for (var i = 0; i < 200 && !run.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(5);
        }

        Assert.Equal(3, await run);
    }

    [Fact]
    public async Task Runner_WhenRetriesRunOut_ReturnsTheLastFailure()
    {
        var policy = new TargetPolicy(new RetryPolicy(false, TimeSpan.Zero, TimeSpan.Zero, 2), null, null);
        var attempts = 0;

        var result = await new PolicyRunner(policy, null, TimeProvider.System, "test").RunAsync(
            _ => Task.FromResult(++attempts), _ => true, null, CancellationToken.None);

        Assert.Equal(3, result);
    }

    [Fact]
    public async Task Runner_WithBreaker_StopsCallingOnceItTrips()
    {
        var time = new FakeTimeProvider();
        var breaker = new CircuitBreaker(new CircuitBreakerPolicy("cb", 1, TimeSpan.FromSeconds(10), 1), time);
        var runner = new PolicyRunner(new TargetPolicy(null, null, breaker.Policy), breaker, time, "target");
        var calls = 0;

        for (var i = 0; i < 2; i++)
        {
            await runner.RunAsync(_ => Task.FromResult(++calls), _ => true, null, CancellationToken.None);
        }

        await Assert.ThrowsAsync<CircuitBreakerOpenException>(() =>
            runner.RunAsync(_ => Task.FromResult(++calls), _ => true, null, CancellationToken.None));
        Assert.Equal(2, calls);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(3, await runner.RunAsync(_ => Task.FromResult(++calls), _ => false, null, CancellationToken.None));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}

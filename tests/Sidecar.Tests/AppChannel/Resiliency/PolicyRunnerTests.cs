using Microsoft.Extensions.Time.Testing;
using Sidecar.AppChannel.Resiliency;

namespace Sidecar.Tests.AppChannel.Resiliency;

/// <summary>One call under a policy, in the order dapr/dapr pkg/resiliency/policy.go NewRunnerWithOptions applies it.</summary>
public sealed class PolicyRunnerTests
{
    private static RetryPolicy Retry(long maxRetries, StatusCodeMatch? match = null, string duration = "0") =>
        new("r", false, TimeSpan.FromSeconds(double.Parse(duration, System.Globalization.CultureInfo.InvariantCulture)),
            RetryPolicy.DefaultMaxInterval, maxRetries, match ?? StatusCodeMatch.All);

    private static CircuitBreakerPolicy Breaker(string trip) => new("cb", TripExpression.Parse(trip), TimeSpan.FromSeconds(10), TimeSpan.Zero, 1);

    private static AttemptVerdict Status(int code) =>
        code is >= 200 and <= 399 ? AttemptVerdict.Success : AttemptVerdict.FailureWithStatus(code);

    [Fact]
    public async Task ConstantRetries_WaitOnTheInjectedClock()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        var run = new PolicyRunner(new TargetPolicy(Retry(3, duration: "5"), null, null), null, time, "test")
            .RunAsync(_ => Task.FromResult(++attempts), n => n < 3 ? Status(503) : Status(200), null, CancellationToken.None);

        await WaitUntilAsync(() => attempts == 1);
        await Task.Delay(50);
        Assert.False(run.IsCompleted);

        for (var i = 0; i < 200 && !run.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(5);
        }

        Assert.Equal(3, await run);
    }

    // dapr/dapr pkg/api/http/directmessaging.go: any non-2xx answer is a CodeError, retried without matching.
    [Fact]
    public async Task ClientErrorAnswer_IsRetriedWithoutMatching()
    {
        var attempts = 0;
        var result = await new PolicyRunner(new TargetPolicy(Retry(2), null, null), null, TimeProvider.System, "test")
            .RunAsync(_ => Task.FromResult(++attempts), _ => Status(409), null, CancellationToken.None);

        Assert.Equal(3, result);
    }

    // dapr/dapr pkg/resiliency/policy.go: a CodeError whose code matching excludes becomes backoff.Permanent.
    [Fact]
    public async Task StatusOutsideMatching_IsNotRetried_AndTheAnswerIsReturned()
    {
        var attempts = 0;
        var discarded = 0;
        var policy = new TargetPolicy(Retry(5, StatusCodeMatch.Parse("500-599", null, "test")), null, null);

        var result = await new PolicyRunner(policy, null, TimeProvider.System, "test")
            .RunAsync(_ => Task.FromResult(++attempts), n => Status(n == 1 ? 503 : 409), _ => discarded++, CancellationToken.None);

        Assert.Equal(2, result); // 503 retried, 409 answered as is
        Assert.Equal(1, discarded);
    }

    // dapr/dapr pkg/resiliency/policy.go: errors that are not CodeErrors (no answer) are always retried.
    [Fact]
    public async Task FailureWithoutStatus_IsRetriedWhateverTheMatching()
    {
        var attempts = 0;
        var policy = new TargetPolicy(Retry(2, StatusCodeMatch.Parse("500", null, "test")), null, null);

        await Assert.ThrowsAsync<HttpRequestException>(() => new PolicyRunner(policy, null, TimeProvider.System, "test")
            .RunAsync<int>(_ => { attempts++; throw new HttpRequestException("refused"); }, _ => AttemptVerdict.Success, null, CancellationToken.None));

        Assert.Equal(3, attempts);
    }

    // dapr/dapr pkg/resiliency/policy.go: the breaker wraps every attempt, so it counts failures matching does not retry.
    [Fact]
    public async Task Breaker_CountsFailuresThatMatchingDoesNotRetry()
    {
        var time = new FakeTimeProvider();
        var policy = new TargetPolicy(Retry(5, StatusCodeMatch.Parse("500-599", null, "test")), null, Breaker("consecutiveFailures >= 2"));
        var breaker = new CircuitBreaker(policy.CircuitBreaker!, time);
        var runner = new PolicyRunner(policy, breaker, time, "app payments");
        var calls = 0;

        await runner.RunAsync(_ => Task.FromResult(++calls), _ => Status(422), null, CancellationToken.None);
        await runner.RunAsync(_ => Task.FromResult(++calls), _ => Status(422), null, CancellationToken.None);
        var open = await Assert.ThrowsAsync<CircuitBreakerOpenException>(() =>
            runner.RunAsync(_ => Task.FromResult(++calls), _ => Status(200), null, CancellationToken.None));

        Assert.Equal(2, calls);
        Assert.Equal("circuit breaker is open for app payments", open.Message);
    }

    // dapr/dapr pkg/resiliency/policy.go: breaker.IsErrorPermanent ends the retry loop once the breaker opens.
    [Fact]
    public async Task OpeningBreaker_EndsTheRetryLoop()
    {
        var time = new FakeTimeProvider();
        var policy = new TargetPolicy(Retry(-1), null, Breaker("consecutiveFailures >= 3"));
        var runner = new PolicyRunner(policy, new CircuitBreaker(policy.CircuitBreaker!, time), time, "test");
        var calls = 0;

        await Assert.ThrowsAsync<CircuitBreakerOpenException>(() =>
            runner.RunAsync(_ => Task.FromResult(++calls), _ => Status(500), null, CancellationToken.None));

        Assert.Equal(3, calls);
    }

    // dapr/dapr pkg/resiliency/policy.go: the timeout bounds each attempt, inside the retry loop.
    [Fact]
    public async Task Timeout_BoundsEachAttempt_AndATimedOutAttemptIsRetried()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        var policy = new TargetPolicy(Retry(1), TimeSpan.FromSeconds(2), null);
        var run = new PolicyRunner(policy, null, time, "test").RunAsync(async token =>
        {
            if (++attempts == 1)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            return attempts;
        }, _ => AttemptVerdict.Success, null, CancellationToken.None);

        await WaitUntilAsync(() => attempts == 1);
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(2, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    // dapr/dapr pkg/resiliency/policy.go: the policy's backoff gives up, the last error is returned.
    [Fact]
    public async Task Timeout_WhenRetriesRunOut_ThrowsTimeoutException()
    {
        var time = new FakeTimeProvider();
        var run = new PolicyRunner(new TargetPolicy(null, TimeSpan.FromSeconds(1), null), null, time, "app x")
            .RunAsync(async token => { await Task.Delay(Timeout.Infinite, token); return 0; }, _ => AttemptVerdict.Success, null, CancellationToken.None);

        await Task.Delay(50);
        time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("app x", error.Message, StringComparison.Ordinal);
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

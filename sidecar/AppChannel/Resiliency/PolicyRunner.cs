using System.Runtime.ExceptionServices;

namespace Sidecar.AppChannel.Resiliency;

/// <summary>
/// Runs one call under a target's policy in daprd's order: the retry loop outside, the circuit breaker around each
/// attempt, the timeout inside it. Every failed attempt (an exception, a timeout, or a result judged a failure) is
/// counted by the breaker; it is retried unless the retry policy gives up or its <c>matching</c> excludes the status
/// the target answered with. An open breaker ends the call at once. Waits run on the injected <see cref="TimeProvider"/>.
/// Without a policy the call runs once.
/// </summary>
// dapr/dapr pkg/resiliency/policy.go NewRunnerWithOptions
public sealed class PolicyRunner
{
    private readonly TargetPolicy? _policy;
    private readonly CircuitBreaker? _breaker;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly string _target;

    internal PolicyRunner(TargetPolicy? policy, CircuitBreaker? breaker, TimeProvider time, string target, Func<double>? random = null)
    {
        _policy = policy;
        _breaker = breaker;
        _time = time;
        _target = target;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>True when a failed attempt may be made again, so a request body must be kept for replay.</summary>
    public bool HasRetries => _policy?.Retry is { HasRetries: true };

    /// <summary>The same timeout and breaker without retries (for a request whose body cannot be replayed).</summary>
    public PolicyRunner WithoutRetries() =>
        new(_policy is null ? null : _policy with { Retry = null }, _breaker, _time, _target, _random);

    /// <summary>
    /// Calls <paramref name="attempt"/> until <paramref name="judge"/> calls a result a success or the policy stops;
    /// returns the last result, or rethrows the last exception. <paramref name="discard"/> releases a failed result
    /// before the next attempt. A <see cref="CircuitBreakerOpenException"/> means no attempt was allowed.
    /// </summary>
    public async Task<T> RunAsync<T>(
        Func<CancellationToken, Task<T>> attempt, Func<T, AttemptVerdict> judge, Action<T>? discard,
        CancellationToken cancellationToken)
    {
        var backOff = _policy?.Retry?.NewBackOff(_time, _random);
        while (true)
        {
            var generation = _breaker?.Enter(_target);
            T result = default!;
            ExceptionDispatchInfo? error = null;
            AttemptVerdict verdict;
            try
            {
                result = await AttemptAsync(attempt, cancellationToken);
                verdict = judge(result);
            }
            catch (Exception ex) when (ex is not CircuitBreakerOpenException)
            {
                verdict = AttemptVerdict.Failure;
                error = ExceptionDispatchInfo.Capture(ex);
            }

            if (generation is { } g)
            {
                _breaker!.Exit(g, verdict.Succeeded);
            }

            if (verdict.Succeeded)
            {
                return result;
            }

            var retry = !cancellationToken.IsCancellationRequested
                && (verdict.StatusCode is not { } code || _policy?.Retry?.Matching.MustRetry(code) != false);
            if (!retry || backOff?.Next() is not { } wait)
            {
                error?.Throw();
                return result;
            }

            if (error is null)
            {
                discard?.Invoke(result);
            }

            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    private async Task<T> AttemptAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        if (_policy?.Timeout is not { } timeout || timeout <= TimeSpan.Zero)
        {
            return await attempt(cancellationToken);
        }

        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            return await attempt(linked.Token);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the call to {_target} timed out after {timeout}");
        }
    }
}

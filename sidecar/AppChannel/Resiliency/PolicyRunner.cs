namespace Sidecar.AppChannel.Resiliency;

/// <summary>
/// Runs one call under a target's policy: each attempt bounded by the timeout, failures retried with the retry
/// policy's waits (on the injected <see cref="TimeProvider"/>), and the breaker consulted before each attempt.
/// Without a policy the call runs once.
/// </summary>
internal sealed class PolicyRunner(TargetPolicy? policy, CircuitBreaker? breaker, TimeProvider time, string target)
{
    /// <summary>
    /// Calls <paramref name="attempt"/> until it succeeds (<paramref name="isFailure"/> false) or the policy gives up;
    /// returns the last result, or rethrows the last exception. <paramref name="discard"/> releases a failed result
    /// before the next attempt.
    /// </summary>
    public async Task<T> RunAsync<T>(
        Func<CancellationToken, Task<T>> attempt, Func<T, bool> isFailure, Action<T>? discard,
        CancellationToken cancellationToken)
    {
        for (var retries = 0; ; retries++)
        {
            if (breaker is not null && !breaker.TryEnter())
            {
                throw new CircuitBreakerOpenException(target);
            }

            T result;
            try
            {
                result = await AttemptAsync(attempt, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not CircuitBreakerOpenException)
            {
                breaker?.Failure();
                if (!await WaitBeforeRetryAsync(retries, cancellationToken))
                {
                    throw;
                }

                continue;
            }

            if (!isFailure(result))
            {
                breaker?.Success();
                return result;
            }

            breaker?.Failure();
            if (!await WaitBeforeRetryAsync(retries, cancellationToken))
            {
                return result;
            }

            discard?.Invoke(result);
        }
    }

    private async Task<T> AttemptAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        if (policy?.Timeout is not { } timeout)
        {
            return await attempt(cancellationToken);
        }

        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            return await attempt(linked.Token);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the call to {target} timed out after {timeout}");
        }
    }

    private async Task<bool> WaitBeforeRetryAsync(int retriesSoFar, CancellationToken cancellationToken)
    {
        if (policy?.Retry is not { } retry || !retry.AllowsRetry(retriesSoFar))
        {
            return false;
        }

        await Task.Delay(retry.DelayBefore(retriesSoFar + 1), time, cancellationToken);
        return true;
    }
}

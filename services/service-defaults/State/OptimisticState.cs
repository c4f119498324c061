using Dapr;
using Dapr.Client;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ServiceDefaults.State;

/// <summary>
/// The one optimistic-concurrency loop of the services: read a key with its ETag, decide, write only if nobody wrote
/// in between, and start over after a short random pause when somebody did; bounded, then
/// <see cref="ContentionException"/> (503). It relies on single-key ETag checks only, which every Dapr store keeps.
/// On <c>state.redis</c> a write with a stale ETag recreates a key that was deleted meanwhile, so keys written through
/// it must never be deleted: mark them deleted (a tombstone value) instead.
/// </summary>
public sealed partial class OptimisticState(
    DaprClient dapr, IOptions<OptimisticConcurrencyOptions> options, ILogger<OptimisticState> logger)
{
    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    /// <summary>
    /// Runs <paramref name="change"/> on the current value of <paramref name="key"/> (default when missing) until its
    /// decision is applied without a conflict, and returns its result. A missing key is created with first-write and
    /// an empty ETag ("only if still missing"); an existing one is written with the ETag it was read with.
    /// </summary>
    public Task<TResult> UpdateAsync<T, TResult>(
        string storeName, string key, Func<T?, StateChange<T, TResult>> change, CancellationToken cancellationToken) =>
        RetryAsync(key, async ct =>
        {
            var (current, etag) = await dapr.GetStateAndETagAsync<T>(storeName, key, cancellationToken: ct);
            var decision = change(current);
            if (!decision.Save)
            {
                return Attempt<TResult>.Applied(decision.Result);
            }

            return await TryGuardedAsync(() => dapr.TrySaveStateAsync(storeName, key, decision.Value, etag, FirstWrite, cancellationToken: ct))
                ? Attempt<TResult>.Applied(decision.Result)
                : Attempt<TResult>.Lost;
        }, cancellationToken);

    /// <summary>
    /// The retry policy alone, for writes <see cref="UpdateAsync{T, TResult}"/> does not cover (a transaction, say):
    /// runs <paramref name="attempt"/> until it is done, pausing a random 0..2^n ms (capped) after each lost round;
    /// throws <see cref="ContentionException"/> naming <paramref name="key"/> after the last one.
    /// </summary>
    public async Task<TResult> RetryAsync<TResult>(
        string key, Func<CancellationToken, Task<Attempt<TResult>>> attempt, CancellationToken cancellationToken)
    {
        var attempts = Math.Max(1, options.Value.MaxAttempts);
        for (var round = 1; round <= attempts; round++)
        {
            var outcome = await attempt(cancellationToken);
            if (outcome.Done)
            {
                return outcome.Result!;
            }

            LogConflict(logger, key, round, attempts);
            if (round < attempts)
            {
                await Task.Delay(Backoff(round), cancellationToken);
            }
        }

        LogGaveUp(logger, key, attempts);
        throw new ContentionException(key, attempts);
    }

    /// <summary>
    /// Runs one ETag-guarded write; <c>false</c> when it may have lost a race. The SDK says <c>false</c> for an ETag
    /// mismatch (Aborted); a first-write clash without an ETag (Redis) and any failed transaction come back as gRPC
    /// <c>Internal</c>. Those are settled by reading again: a store that is really down fails that read.
    /// </summary>
    public static async Task<bool> TryGuardedAsync(Func<Task<bool>> write)
    {
        try
        {
            return await write();
        }
        catch (DaprException ex) when (IsPossibleConflict(ex))
        {
            return false;
        }
    }

    /// <summary>As <see cref="TryGuardedAsync(Func{Task{bool}})"/>, for writes that throw rather than answer <c>false</c>.</summary>
    public static Task<bool> TryGuardedAsync(Func<Task> write) => TryGuardedAsync(async () =>
    {
        await write();
        return true;
    });

    private static bool IsPossibleConflict(DaprException ex) =>
        ex.InnerException is RpcException { StatusCode: StatusCode.Internal or StatusCode.Aborted };

    /// <summary>"Full jitter": a random pause below a cap that doubles each round, so colliding writers spread apart.</summary>
    private TimeSpan Backoff(int round)
    {
        var cap = Math.Min(options.Value.MaxBackoff.TotalMilliseconds, Math.Pow(2, Math.Min(round, 16)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "ETag conflict on {Key} (attempt {Attempt} of {Attempts}); retrying")]
    private static partial void LogConflict(ILogger logger, string key, int attempt, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up writing {Key} after {Attempts} conflicting attempts")]
    private static partial void LogGaveUp(ILogger logger, string key, int attempts);
}

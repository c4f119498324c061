using Catalog.Domain;
using Dapr.Client;
using Microsoft.Extensions.Options;

namespace Catalog.Infrastructure;

/// <summary>
/// Read-modify-write of one state key with first-write ETag concurrency: read the value and its ETag, let the caller
/// decide, write only if nobody wrote in between, and start over (a bounded number of times) when somebody did.
/// </summary>
internal sealed partial class OptimisticWriter(
    DaprClient dapr, IOptions<CatalogOptions> options, TimeProvider time, ILogger<OptimisticWriter> logger)
{
    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    /// <summary>What to do with the current value: write <see cref="Value"/> (or delete it when null) or stop.</summary>
    public sealed record Decision<T, TResult>(bool Write, T? Value, TResult Result);

    /// <summary>
    /// Runs <paramref name="decide"/> on the current value (default when missing) until its decision is applied
    /// without an ETag conflict; <c>(false, default)</c> when every attempt met a conflict.
    /// </summary>
    public Task<(bool Applied, TResult? Result)> UpdateAsync<T, TResult>(
        string key, Func<T?, Decision<T, TResult>> decide, CancellationToken cancellationToken) =>
        RetryAsync<TResult>(key, async () =>
        {
            var (current, etag) = await dapr.GetStateAndETagAsync<T>(
                Contracts.DaprNames.StateStore, key, cancellationToken: cancellationToken);
            var decision = decide(current);
            var written = !decision.Write || await WriteAsync(key, decision.Value, etag, cancellationToken);
            return (written, decision.Result);
        }, cancellationToken);

    /// <summary>
    /// The one retry policy: runs <paramref name="attempt"/> until it reports its write applied, pausing a short,
    /// growing, random time after each conflict; <c>(false, default)</c> after <c>MaxWriteAttempts</c> conflicts.
    /// </summary>
    private async Task<(bool Applied, TResult? Result)> RetryAsync<TResult>(
        string what, Func<Task<(bool Written, TResult Result)>> attempt, CancellationToken cancellationToken)
    {
        var attempts = Math.Max(1, options.Value.MaxWriteAttempts);
        for (var round = 1; round <= attempts; round++)
        {
            var (written, result) = await attempt();
            if (written)
            {
                return (true, result);
            }

            LogConflict(logger, what, round, attempts);

            // A short random pause spreads writers that collided apart, so the next round has fewer losers.
            var pause = TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1 << Math.Min(round, 4)));
            await Task.Delay(pause, time, cancellationToken);
        }

        LogGaveUp(logger, what, attempts);
        return (false, default);
    }

    /// <summary>One ETag-guarded write (delete when <paramref name="value"/> is null); <c>false</c> on a conflict.</summary>
    private async Task<bool> WriteAsync<T>(string key, T? value, string etag, CancellationToken cancellationToken) =>
        // An empty ETag with first-write means "only if it still does not exist".
        value is null
            ? string.IsNullOrEmpty(etag) || await dapr.TryDeleteStateAsync(
                Contracts.DaprNames.StateStore, key, etag, FirstWrite, cancellationToken: cancellationToken)
            : await dapr.TrySaveStateAsync(
                Contracts.DaprNames.StateStore, key, value, etag, FirstWrite, cancellationToken: cancellationToken);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ETag conflict on {Key} (attempt {Attempt} of {Attempts}); retrying")]
    private static partial void LogConflict(ILogger logger, string key, int attempt, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up writing {Key} after {Attempts} ETag conflicts")]
    private static partial void LogGaveUp(ILogger logger, string key, int attempts);
}

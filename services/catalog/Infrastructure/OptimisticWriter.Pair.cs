using System.Text.Json;
using Contracts;
using Dapr;
using Dapr.Client;
using Grpc.Core;

namespace Catalog.Infrastructure;

/// <summary>
/// Read-modify-write of two keys that must change together: both are read with their ETags, and when both change
/// they are written in one state transaction in which each operation is guarded by the ETag it was read with.
/// </summary>
internal sealed partial class OptimisticWriter
{
    /// <summary>What to do with one key of a pair: keep it as read, write <see cref="Value"/>, or delete it.</summary>
    public readonly record struct Change<T>(ChangeKind Kind, T? Value)
    {
        public static Change<T> Keep => new(ChangeKind.Keep, default);

        public static Change<T> Delete => new(ChangeKind.Delete, default);

        public static Change<T> Upsert(T value) => new(ChangeKind.Upsert, value);
    }

    public enum ChangeKind
    {
        Keep,
        Upsert,
        Delete,
    }

    /// <summary>The changes to both keys, applied all or nothing, and what to report once they are.</summary>
    public sealed record PairDecision<TFirst, TSecond, TResult>(Change<TFirst> First, Change<TSecond> Second, TResult Result);

    /// <summary>
    /// Runs <paramref name="decide"/> on the current values of both keys until its changes are applied without an
    /// ETag conflict, under the same retry policy as <see cref="UpdateAsync"/>. A decision that depends on the first
    /// key existing or not must write the second key (unchanged if need be): that write is what guards the read.
    /// </summary>
    public Task<(bool Applied, TResult? Result)> UpdatePairAsync<TFirst, TSecond, TResult>(
        string firstKey, string secondKey, Func<TFirst?, TSecond?, PairDecision<TFirst, TSecond, TResult>> decide,
        CancellationToken cancellationToken) =>
        RetryAsync<TResult>($"{firstKey} + {secondKey}", async () =>
        {
            // The second key is read first: callers that change whether the first key exists always write the
            // second too, so a change to the first that lands between the two reads fails the second's ETag check.
            var (second, secondETag) = await dapr.GetStateAndETagAsync<TSecond>(
                DaprNames.StateStore, secondKey, cancellationToken: cancellationToken);
            var (first, firstETag) = await dapr.GetStateAndETagAsync<TFirst>(
                DaprNames.StateStore, firstKey, cancellationToken: cancellationToken);
            var decision = decide(first, second);

            var operations = new List<StateTransactionRequest>(2);
            AddOperation(operations, firstKey, decision.First, firstETag);
            AddOperation(operations, secondKey, decision.Second, secondETag);
            var written = operations.Count switch
            {
                0 => true,
                1 => await WriteOneAsync(operations[0], cancellationToken),
                _ => await TryTransactionAsync(operations, cancellationToken),
            };
            return (written, decision.Result);
        }, cancellationToken);

    private void AddOperation<T>(List<StateTransactionRequest> operations, string key, Change<T> change, string etag)
    {
        // Deleting what is not there is nothing to do, as in the single-key write.
        if (change.Kind == ChangeKind.Keep || (change.Kind == ChangeKind.Delete && string.IsNullOrEmpty(etag)))
        {
            return;
        }

        // An empty ETag with first-write means "only if it still does not exist".
        operations.Add(change.Kind == ChangeKind.Delete
            ? new StateTransactionRequest(key, null, StateOperationType.Delete, etag, options: FirstWrite)
            : new StateTransactionRequest(key, JsonSerializer.SerializeToUtf8Bytes(change.Value, dapr.JsonSerializerOptions),
                StateOperationType.Upsert, NullIfEmpty(etag), options: FirstWrite));
    }

    /// <summary>A lone change needs no transaction: the single-key ETag-guarded write says "conflict" as <c>false</c>.</summary>
    private Task<bool> WriteOneAsync(StateTransactionRequest operation, CancellationToken cancellationToken)
    {
        // Deletes only get here with the ETag they were read with; an upsert without one must find the key missing.
        var etag = operation.ETag ?? string.Empty;
        return operation.OperationType == StateOperationType.Delete
            ? dapr.TryDeleteStateAsync(DaprNames.StateStore, operation.Key, etag, FirstWrite, cancellationToken: cancellationToken)
            : dapr.TrySaveByteStateAsync(DaprNames.StateStore, operation.Key, operation.Value, etag, FirstWrite,
                cancellationToken: cancellationToken);
    }

    /// <summary>
    /// <c>false</c> when the transaction may have lost an ETag race. daprd answers every failed transaction with gRPC
    /// <c>Internal</c> (ERR_STATE_TRANSACTION; Redis does not even say "etag"), so Internal and Aborted are both read
    /// as a conflict and settled by reading again: a store that is really down fails that read, and one that keeps
    /// failing only transactions runs out of attempts (503). Other statuses are real errors and propagate.
    /// </summary>
    private async Task<bool> TryTransactionAsync(List<StateTransactionRequest> operations, CancellationToken cancellationToken)
    {
        try
        {
            await dapr.ExecuteStateTransactionAsync(DaprNames.StateStore, operations, cancellationToken: cancellationToken);
            return true;
        }
        catch (DaprException ex) when (ex.InnerException is RpcException { StatusCode: StatusCode.Internal or StatusCode.Aborted })
        {
            return false;
        }
    }

    private static string? NullIfEmpty(string etag) => string.IsNullOrEmpty(etag) ? null : etag;
}

using Sidecar.Components.State;

namespace Sidecar.Workflow.Tests.Infrastructure;

/// <summary>An actor state store that fails the next transaction when told to, and otherwise passes everything through.</summary>
internal sealed class FailingStateStore(IStateStore inner) : IStateStore
{
    private int _failNext;

    /// <summary>Makes the next transaction throw without writing anything.</summary>
    public void FailNextTransaction() => Volatile.Write(ref _failNext, 1);

    public IReadOnlyList<string> Features => inner.Features;

    public Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public Task<string> SetAsync(StateSetOperation operation, CancellationToken cancellationToken) =>
        inner.SetAsync(operation, cancellationToken);

    public Task DeleteAsync(StateDeleteOperation operation, CancellationToken cancellationToken) =>
        inner.DeleteAsync(operation, cancellationToken);

    public Task ExecuteTransactionAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken) =>
        Interlocked.Exchange(ref _failNext, 0) == 1
            ? throw new IOException("simulated state store outage")
            : inner.ExecuteTransactionAsync(operations, cancellationToken);
}

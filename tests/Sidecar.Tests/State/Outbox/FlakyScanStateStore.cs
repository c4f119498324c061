using Microsoft.Extensions.DependencyInjection;
using Sidecar.Components;
using Sidecar.Components.State;

namespace Sidecar.Tests.State.Outbox;

/// <summary>
/// A state store whose key scan fails as often as <see cref="FailNextScans"/> says, as a store still starting or briefly
/// unreachable does, and otherwise behaves as the in-memory store it wraps. One instance outlives a sidecar, standing
/// for the store a restarted sidecar finds again. Registered as component type <see cref="Type"/>.
/// </summary>
internal sealed class FlakyScanStateStore(IStateStore inner) : IStateStore, IStateKeyScan
{
    public const string Type = "state.flaky-scan";
    private int _failuresLeft;
    private int _failedScans;

    /// <summary>How many scans have failed so far.</summary>
    public int FailedScans => Volatile.Read(ref _failedScans);

    public IReadOnlyList<string> Features => inner.Features;

    /// <summary>Registers the type; every component of it is this one store.</summary>
    public void Register(IServiceCollection services) => services.AddComponentFactory(Type, _ => this);

    /// <summary>The next <paramref name="count"/> key scans fail.</summary>
    public void FailNextScans(int count) => Volatile.Write(ref _failuresLeft, count);

    public Task<IReadOnlyList<string>> KeysWithPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Interlocked.Increment(ref _failedScans);
            throw new IOException("store unavailable");
        }

        return ((IStateKeyScan)inner).KeysWithPrefixAsync(prefix, cancellationToken);
    }

    public Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public Task<string> SetAsync(StateSetOperation operation, CancellationToken cancellationToken) => inner.SetAsync(operation, cancellationToken);

    public Task DeleteAsync(StateDeleteOperation operation, CancellationToken cancellationToken) => inner.DeleteAsync(operation, cancellationToken);

    public Task ExecuteTransactionAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken) =>
        inner.ExecuteTransactionAsync(operations, cancellationToken);
}

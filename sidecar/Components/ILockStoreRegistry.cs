using System.Diagnostics.CodeAnalysis;
using Sidecar.Components.Locks;

namespace Sidecar.Components;

/// <summary>The lock stores of this app by name, each with the key prefix rule of its <c>keyPrefix</c> metadata.</summary>
public interface ILockStoreRegistry
{
    /// <summary>The store named <paramref name="name"/> and its key prefix rule.</summary>
    bool TryGetLockStore(string name, [NotNullWhen(true)] out ILockStore? store, [NotNullWhen(true)] out LockKeyPrefix? keyPrefix);

    /// <summary>The names of the lock stores.</summary>
    IReadOnlyCollection<string> LockStoreNames { get; }
}

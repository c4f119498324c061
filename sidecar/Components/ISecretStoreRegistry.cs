using System.Diagnostics.CodeAnalysis;
using Sidecar.Components.SecretStores;

namespace Sidecar.Components;

/// <summary>The secret stores of this app by name.</summary>
public interface ISecretStoreRegistry
{
    /// <summary>The store named <paramref name="name"/>.</summary>
    bool TryGetSecretStore(string name, [NotNullWhen(true)] out ISecretStore? store);

    /// <summary>The names of the secret stores.</summary>
    IReadOnlyCollection<string> SecretStoreNames { get; }
}

using System.Diagnostics.CodeAnalysis;
using Sidecar.Components.Configuration;

namespace Sidecar.Components;

/// <summary>The configuration stores of this app by name.</summary>
public interface IConfigurationStoreRegistry
{
    /// <summary>The store named <paramref name="name"/>.</summary>
    bool TryGetConfigurationStore(string name, [NotNullWhen(true)] out IConfigurationStore? store);

    /// <summary>The names of the configuration stores.</summary>
    IReadOnlyCollection<string> ConfigurationStoreNames { get; }
}

using System.Diagnostics.CodeAnalysis;
using Sidecar.Components.State;

namespace Sidecar.Components;

/// <summary>The state stores of this app by name.</summary>
public interface IStateStoreRegistry
{
    /// <summary>The store named <paramref name="name"/>.</summary>
    bool TryGetStateStore(string name, [NotNullWhen(true)] out IStateStore? store);

    /// <summary>The store's registration (definition with metadata such as <c>keyPrefix</c>), or null.</summary>
    RegisteredComponent? FindStateStore(string name);

    /// <summary>The names of the state stores.</summary>
    IReadOnlyCollection<string> StateStoreNames { get; }

    /// <summary>The store whose metadata <c>actorStateStore</c> is <c>"true"</c> (workflows and actors need it), or null.</summary>
    RegisteredComponent? ActorStateStore { get; }
}

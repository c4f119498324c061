using System.Diagnostics.CodeAnalysis;
using Sidecar.Components.PubSub;

namespace Sidecar.Components;

/// <summary>The pub/sub components of this app by name.</summary>
public interface IPubSubRegistry
{
    /// <summary>The pub/sub named <paramref name="name"/>.</summary>
    bool TryGetPubSub(string name, [NotNullWhen(true)] out IPubSub? pubSub);

    /// <summary>The pub/sub's registration (definition and metadata), or null.</summary>
    RegisteredComponent? FindPubSub(string name);

    /// <summary>The names of the pub/sub components.</summary>
    IReadOnlyCollection<string> PubSubNames { get; }
}

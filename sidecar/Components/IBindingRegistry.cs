using System.Diagnostics.CodeAnalysis;
using Sidecar.Components.Bindings;

namespace Sidecar.Components;

/// <summary>The bindings of this app: output bindings by name, and the input bindings to read from.</summary>
public interface IBindingRegistry
{
    /// <summary>The output binding named <paramref name="name"/> (a binding whose <c>direction</c> allows output).</summary>
    bool TryGetOutputBinding(string name, [NotNullWhen(true)] out IOutputBinding? binding);

    /// <summary>The input bindings (those whose <c>direction</c> allows input), in resource order.</summary>
    IReadOnlyList<InputBindingEntry> InputBindings { get; }
}

/// <summary>
/// An input binding with its delivery route (metadata <c>route</c>, else the binding's name) and whether its
/// <c>direction</c> names <c>input</c> explicitly (then daprd delivers without asking the app first).
/// </summary>
public sealed record InputBindingEntry(string Name, string Route, bool ExplicitInput, IInputBinding Binding);

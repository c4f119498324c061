namespace Sidecar.Components;

/// <summary>
/// A live component by name: its definition (as written, even when substituted), the instance serving it, what it
/// supports (reported in metadata), and the substitution made in embedded mode, if any.
/// </summary>
public sealed record RegisteredComponent(
    ComponentDefinition Definition, object Instance, IReadOnlyList<string> Capabilities, string? SubstitutedBy = null)
{
    public string Name => Definition.Name;
}

namespace Sidecar.Components;

/// <summary>Every live component of this app, for metadata.</summary>
public interface IComponentRegistry
{
    IReadOnlyList<RegisteredComponent> Components { get; }
}

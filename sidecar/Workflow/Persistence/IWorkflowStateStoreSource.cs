using Sidecar.Components.State;

namespace Sidecar.Workflow.Persistence;

/// <summary>Finds the state store that holds workflow state: the component marked <c>actorStateStore: "true"</c>.</summary>
public interface IWorkflowStateStoreSource
{
    /// <summary>The actor state store, or null when the app has none (workflows then answer an error).</summary>
    IStateStore? GetStore();
}

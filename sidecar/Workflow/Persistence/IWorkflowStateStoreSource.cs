using Sidecar.Components.State;

namespace Sidecar.Workflow.Persistence;

/// <summary>Finds the state store that holds workflow state: the component marked <c>actorStateStore: "true"</c>.</summary>
public interface IWorkflowStateStoreSource
{
    IStateStore GetStore();
}

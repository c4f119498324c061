using Sidecar.Components;
using Sidecar.Components.State;

namespace Sidecar.Workflow.Persistence;

/// <summary>The app's actor state store from the component registry.</summary>
internal sealed class ActorStateStoreSource(IStateStoreRegistry registry) : IWorkflowStateStoreSource
{
    public IStateStore? GetStore() => registry.ActorStateStore?.Instance as IStateStore;
}

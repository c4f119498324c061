using Sidecar.Components.State;
using Sidecar.Hosting;

namespace Sidecar.Workflow.Persistence;

/// <summary>
/// Fallback until the component registry exposes the actor state store: one in-memory store per app for the whole
/// run (held by the <see cref="SidecarNetwork"/>), so workflow state outlives a restarted sidecar of the same run.
/// </summary>
internal sealed class RunScopedStateStoreSource(SidecarNetwork network, SidecarOptions options) : IWorkflowStateStoreSource
{
    public IStateStore GetStore() =>
        network.GetOrAddShared($"workflow-state:{options.AppId}", () => new MemoryWorkflowStateStore());
}

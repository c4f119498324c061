using Sidecar.Workflow.Api;
using Sidecar.Workflow.Engine;
using Sidecar.Workflow.Peers;
using Sidecar.Workflow.Persistence;

namespace Sidecar.Workflow;

/// <summary>Registers the workflow engine: history store, timers, work-item dispatch and recovery at start.</summary>
internal static class WorkflowRegistration
{
    public static IServiceCollection AddWorkflowBuildingBlock(this IServiceCollection services)
    {
        services.TryAddSingleton<IWorkflowStateStoreSource, ActorStateStoreSource>();
        services.TryAddSingleton<IWorkflowStore, StateStoreWorkflowStore>();
        services.TryAddSingleton<WorkItemDispatcher>();
        services.AddSingleton<Metadata.IWorkflowWorkerCount>(sp => sp.GetRequiredService<WorkItemDispatcher>());
        services.TryAddSingleton<WorkflowPeers>();
        services.TryAddSingleton<IWorkflowPeers>(sp => sp.GetRequiredService<WorkflowPeers>());
        services.TryAddSingleton<DurableTimers>();
        services.TryAddSingleton<WorkflowEngine>();
        services.TryAddSingleton<IWorkflowEngine>(sp => sp.GetRequiredService<WorkflowEngine>());
        services.TryAddSingleton<IWorkflowApi, WorkflowApi>();
        services.AddHostedService<WorkflowStartup>();
        return services;
    }
}

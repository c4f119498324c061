using Sidecar.Workflow.Engine;
using Sidecar.Workflow.Persistence;

namespace Sidecar.Workflow;

/// <summary>Registers the workflow engine and its gRPC service (<c>TaskHubSidecarService</c>).</summary>
internal static class WorkflowRegistration
{
    public static IServiceCollection AddWorkflowBuildingBlock(this IServiceCollection services)
    {
        services.TryAddSingleton<IWorkflowStateStoreSource, ActorStateStoreSource>();
        services.TryAddSingleton<IWorkflowStore, StateStoreWorkflowStore>();
        services.TryAddSingleton<WorkItemDispatcher>();
        services.TryAddSingleton<DurableTimers>();
        services.TryAddSingleton<WorkflowEngine>();
        services.TryAddSingleton<IWorkflowEngine>(sp => sp.GetRequiredService<WorkflowEngine>());
        services.AddHostedService<WorkflowStartup>();
        Api.Grpc.TaskHubGrpcApi.AddWorkflowGrpc(services);
        return services;
    }
}

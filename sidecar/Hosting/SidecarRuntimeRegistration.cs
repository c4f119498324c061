using Sidecar.Api.Grpc;
using Sidecar.Api.Http;
using Sidecar.Bindings;
using Sidecar.Components;
using Sidecar.Configuration;
using Sidecar.Invocation;
using Sidecar.Jobs;
using Sidecar.Locks;
using Sidecar.Metadata;
using Sidecar.NameResolution;
using Sidecar.PubSub;
using Sidecar.Secrets;
using Sidecar.State;
using Sidecar.Workflow;

namespace Sidecar.Hosting;

/// <summary>Composes the sidecar: components first, then the building blocks over them, then the API surfaces.</summary>
internal static class SidecarRuntimeRegistration
{
    public static IServiceCollection AddSidecarRuntime(this IServiceCollection services, ResourceSet resources)
    {
        services.AddComponents(resources);
        services.AddStateBuildingBlock();
        services.AddMetadataBuildingBlock();
        services.AddPubSubBuildingBlock();
        services.AddNameResolution();
        services.AddInvocationBuildingBlock();
        services.AddSecretsBuildingBlock();
        services.AddBindingsBuildingBlock();
        services.AddConfigurationBuildingBlock();
        services.AddJobsBuildingBlock();
        services.AddLockBuildingBlock();
        services.AddWorkflowBuildingBlock();
        services.AddDaprGrpcApi();
        services.AddWorkflowGrpc();
        services.AddDaprApiToken();
        return services;
    }
}

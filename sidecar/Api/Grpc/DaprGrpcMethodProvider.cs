using Grpc.AspNetCore.Server.Model;

namespace Sidecar.Api.Grpc;

/// <summary>Binds the Dapr gRPC methods each building block implements.</summary>
internal sealed partial class DaprGrpcMethodProvider : IServiceMethodProvider<DaprGrpcService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<DaprGrpcService> context)
    {
        AddStateMethods(context);
        AddPubSubMethods(context);
        AddInvocationMethods(context);
        AddMetadataMethods(context);
        AddSecretsMethods(context);
        AddBindingsMethods(context);
        AddConfigurationMethods(context);
        AddJobsMethods(context);
        AddLockMethods(context);
        AddWorkflowMethods(context);
    }

    static partial void AddStateMethods(ServiceMethodProviderContext<DaprGrpcService> context);

    static partial void AddPubSubMethods(ServiceMethodProviderContext<DaprGrpcService> context);

    static partial void AddInvocationMethods(ServiceMethodProviderContext<DaprGrpcService> context);

    static partial void AddMetadataMethods(ServiceMethodProviderContext<DaprGrpcService> context);

    static partial void AddSecretsMethods(ServiceMethodProviderContext<DaprGrpcService> context);

    static partial void AddBindingsMethods(ServiceMethodProviderContext<DaprGrpcService> context);
    static partial void AddConfigurationMethods(ServiceMethodProviderContext<DaprGrpcService> context);

    static partial void AddJobsMethods(ServiceMethodProviderContext<DaprGrpcService> context);

    static partial void AddLockMethods(ServiceMethodProviderContext<DaprGrpcService> context);

    static partial void AddWorkflowMethods(ServiceMethodProviderContext<DaprGrpcService> context);
}

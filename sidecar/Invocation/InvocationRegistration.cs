using Sidecar.AppChannel;
using Sidecar.Invocation.Endpoints;

namespace Sidecar.Invocation;

/// <summary>Registers service invocation, the channel to the app (with its health checks), the one to other sidecars and to HTTP endpoints.</summary>
internal static class InvocationRegistration
{
    public static IServiceCollection AddInvocationBuildingBlock(this IServiceCollection services)
    {
        services.AddAppChannel();
        services.TryAddSingleton<RemoteSidecarChannel>();
        services.TryAddSingleton<HttpEndpointRegistry>();
        services.TryAddSingleton<HttpEndpointInvoker>();
        services.TryAddSingleton<IServiceInvoker, ServiceInvoker>();
        return services;
    }
}

using Sidecar.AppChannel;

namespace Sidecar.Invocation;

/// <summary>Registers service invocation, the channel to the app (with its health checks) and the one to other sidecars.</summary>
internal static class InvocationRegistration
{
    public static IServiceCollection AddInvocationBuildingBlock(this IServiceCollection services)
    {
        services.AddAppChannel();
        services.TryAddSingleton<RemoteSidecarChannel>();
        services.TryAddSingleton<IServiceInvoker, ServiceInvoker>();
        return services;
    }
}

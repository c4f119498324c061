using Sidecar.AppChannel;

namespace Sidecar.Invocation;

/// <summary>Registers service invocation and the channel to the app (with its health checks).</summary>
internal static class InvocationRegistration
{
    public static IServiceCollection AddInvocationBuildingBlock(this IServiceCollection services)
    {
        services.AddAppChannel();
        services.TryAddSingleton<IServiceInvoker, ServiceInvoker>();
        return services;
    }
}

using Sidecar.AppChannel;

namespace Sidecar.Bindings;

/// <summary>Registers the bindings building block: output calls and the reading of input bindings into the app.</summary>
internal static class BindingsRegistration
{
    public static IServiceCollection AddBindingsBuildingBlock(this IServiceCollection services)
    {
        services.AddAppChannel();
        services.TryAddSingleton<IBindingsApi, BindingsApi>();
        services.AddHostedService<InputBindingDelivery>();
        return services;
    }
}

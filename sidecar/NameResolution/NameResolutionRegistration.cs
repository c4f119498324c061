using Microsoft.Data.Sqlite;
using Sidecar.Components;
using Sidecar.Hosting;

namespace Sidecar.NameResolution;

/// <summary>
/// Registers name resolution: the settings from the Configuration (or the default registry), the registry shared by
/// the sidecars of this process, the resolver, and this sidecar's registration with its heartbeats.
/// </summary>
internal static class NameResolutionRegistration
{
    public static IServiceCollection AddNameResolution(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => OpenRegistry(sp));
        services.TryAddSingleton<INameResolver>(sp =>
            new NameResolver(sp.GetRequiredService<SidecarNetwork>(), sp.GetRequiredService<RegistryHandle>().Registry));
        services.TryAddSingleton(sp => new NameRegistration(
            sp.GetRequiredService<RegistryHandle>().Registry, sp.GetRequiredService<SidecarOptions>(), sp,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<NameRegistration>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, NameRegistration>(sp => sp.GetRequiredService<NameRegistration>()));
        return services;
    }

    /// <summary>Reads the settings and opens the shared registry; a file that cannot be used fails the start in one line.</summary>
    private static RegistryHandle OpenRegistry(IServiceProvider services)
    {
        var options = services.GetRequiredService<SidecarOptions>();
        var settings = NameResolutionConfiguration.Read(options, services.GetRequiredService<ResourceSet>(), out var notice);
        if (notice is not null)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(NameResolutionRegistration).FullName!).LogInformation("{Notice}", notice);
        }

        if (settings is null)
        {
            return new RegistryHandle(null);
        }

        var time = services.GetRequiredService<TimeProvider>();
        var key = $"name-registry:{settings.DatabaseFile}|{settings.UpdateInterval}|{settings.Timeout}";
        try
        {
            return new RegistryHandle(services.GetRequiredService<SidecarNetwork>().GetOrAddShared(key, () => new SqliteNameRegistry(settings, time)));
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new ResourceLoadException(
                $"name resolution registry {settings.DatabaseFile} cannot be used: {e.Message.ReplaceLineEndings(" ")} (set {NameResolutionSettings.DatabaseFileVariable} to another file)", e);
        }
    }

    /// <summary>The registry, or null when only sidecars of this process are found.</summary>
    internal sealed record RegistryHandle(SqliteNameRegistry? Registry);
}

using Sidecar.Components.State;
using Sidecar.Components.State.Redis;
using Sidecar.Hosting;

namespace Sidecar.Components;

/// <summary>Registers the app's resources (components, subscriptions, resiliency, configuration, loaded by the host) and creates the components.</summary>
internal static class ComponentsRegistration
{
    public static IServiceCollection AddComponents(this IServiceCollection services, ResourceSet resources)
    {
        services.TryAddSingleton(resources);

        services.AddComponentFactory(InMemoryStateStore.Type, c => new InMemoryStateStore(c.Services.GetRequiredService<TimeProvider>()));
        services.AddComponentFactory(SqliteStateStoreFactory.Type, SqliteStateStoreFactory.Create);
        services.AddComponentFactory(RedisStateStore.Type, RedisStateStoreFactory.Create);
        services.AddComponentFactory(PubSub.InMemoryPubSub.Type, PubSub.InMemoryPubSub.Create);
        services.AddComponentFactory(PubSub.RedisStreamsPubSub.Type, PubSub.RedisStreamsPubSub.Create);
        services.AddComponentFactory(SecretStores.LocalFileSecretStore.Type, SecretStores.LocalFileSecretStore.Create);
        services.AddComponentFactory(SecretStores.LocalEnvSecretStore.Type, SecretStores.LocalEnvSecretStore.Create);
        services.AddComponentFactory(Bindings.CronBinding.Type, Bindings.CronBinding.Create);
        services.AddComponentFactory(Bindings.HttpOutputBinding.Type, Bindings.HttpOutputBinding.Create);
        services.AddComponentFactory(Bindings.PostgresBinding.Type, Bindings.PostgresBinding.Create);
        services.AddComponentFactory(Bindings.PostgresBinding.AliasType, Bindings.PostgresBinding.Create);
        services.AddComponentFactory(Bindings.LocalStorageBinding.Type, Bindings.LocalStorageBinding.Create);
        services.AddComponentFactory(Configuration.RedisConfigurationStore.Type, Configuration.RedisConfigurationStore.Create);
        services.AddComponentFactory(Locks.RedisLockStore.Type, Locks.RedisLockStore.Create);

        services.TryAddSingleton<ComponentStore>();
        services.TryAddSingleton<IStateStoreRegistry>(sp => sp.GetRequiredService<ComponentStore>());
        services.TryAddSingleton<IPubSubRegistry>(sp => sp.GetRequiredService<ComponentStore>());
        services.TryAddSingleton<ISecretStoreRegistry>(sp => sp.GetRequiredService<ComponentStore>());
        services.TryAddSingleton<IBindingRegistry>(sp => sp.GetRequiredService<ComponentStore>());
        services.TryAddSingleton<IConfigurationStoreRegistry>(sp => sp.GetRequiredService<ComponentStore>());
        services.TryAddSingleton<ILockStoreRegistry>(sp => sp.GetRequiredService<ComponentStore>());
        services.TryAddSingleton<IComponentRegistry>(sp => sp.GetRequiredService<ComponentStore>());
        services.TryAddSingleton<SidecarReadiness>();
        services.AddHostedService<ComponentsStartup>();
        return services;
    }
}

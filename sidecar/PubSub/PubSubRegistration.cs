using Sidecar.AppChannel;
using Sidecar.Hosting;
using Sidecar.Metadata;
using Sidecar.PubSub.Publishing;
using Sidecar.PubSub.Subscriptions;

namespace Sidecar.PubSub;

/// <summary>Registers the pub/sub building block: publishing, subscriptions and delivery to the app.</summary>
internal static class PubSubRegistration
{
    public static IServiceCollection AddPubSubBuildingBlock(this IServiceCollection services)
    {
        services.AddAppChannel();
        services.TryAddSingleton<IPublisher, Publisher>();
        services.TryAddSingleton<SubscriptionManager>();
        services.TryAddSingleton<ISubscriptionRegistry>(sp => sp.GetRequiredService<SubscriptionManager>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SubscriptionManager>(sp => sp.GetRequiredService<SubscriptionManager>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetadataContributor, SubscriptionMetadataContributor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessCheck, AppReadiness>());
        return services;
    }
}

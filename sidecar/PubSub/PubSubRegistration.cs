namespace Sidecar.PubSub;

/// <summary>Registers the pub/sub building block: publishing, subscriptions and delivery to the app.</summary>
internal static class PubSubRegistration
{
    public static IServiceCollection AddPubSubBuildingBlock(this IServiceCollection services) => services;
}

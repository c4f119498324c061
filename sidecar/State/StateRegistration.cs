namespace Sidecar.State;

/// <summary>Registers the state building block.</summary>
internal static class StateRegistration
{
    public static IServiceCollection AddStateBuildingBlock(this IServiceCollection services)
    {
        services.TryAddSingleton<IStateApi, StateApi>();
        services.TryAddSingleton<Outbox.OutboxRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<Outbox.OutboxRelay>());
        return services;
    }
}

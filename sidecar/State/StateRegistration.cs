namespace Sidecar.State;

/// <summary>Registers the state building block.</summary>
internal static class StateRegistration
{
    public static IServiceCollection AddStateBuildingBlock(this IServiceCollection services)
    {
        services.TryAddSingleton<IStateApi, StateApi>();
        return services;
    }
}

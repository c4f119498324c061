namespace Sidecar.Locks;

/// <summary>Registers the distributed lock building block.</summary>
internal static class LockRegistration
{
    public static IServiceCollection AddLockBuildingBlock(this IServiceCollection services)
    {
        services.TryAddSingleton<ILockApi, LockApi>();
        return services;
    }
}

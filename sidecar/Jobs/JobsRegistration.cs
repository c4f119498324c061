using Sidecar.Components;
using Sidecar.Hosting;

namespace Sidecar.Jobs;

/// <summary>
/// Registers the jobs building block: jobs live in the run's state file (<c>state.db</c> under the data directory,
/// with or without <c>--embedded</c>), fired by this sidecar's <see cref="JobScheduler"/>.
/// </summary>
internal static class JobsRegistration
{
    public static IServiceCollection AddJobsBuildingBlock(this IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
            new JobStore(Path.GetFullPath(EmbeddedComponents.StateDatabaseFile(sp.GetRequiredService<SidecarOptions>().DataDirectory))));
        services.TryAddSingleton<JobAppDelivery>();
        services.TryAddSingleton<JobScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<JobScheduler>());
        services.TryAddSingleton<IJobsApi, JobsApi>();
        return services;
    }
}

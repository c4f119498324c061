using Sidecar.AppChannel.Resiliency;
using Sidecar.Components;
using Sidecar.Hosting;

namespace Sidecar.AppChannel;

/// <summary>Registers the channel to the app, its health monitor and the Resiliency policies (pub/sub and invocation share them).</summary>
internal static class AppChannelRegistration
{
    public const string ResiliencyKind = "Resiliency";

    public static IServiceCollection AddAppChannel(this IServiceCollection services)
    {
        services.TryAddSingleton<AppConcurrencyLimiter>();
        services.TryAddSingleton<IAppChannel, HttpAppChannel>();
        services.TryAddSingleton<GrpcApp.AppCallbackClients>();
        services.TryAddSingleton<AppHealthMonitor>();
        services.TryAddSingleton<IAppHealth>(sp => sp.GetRequiredService<AppHealthMonitor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AppHealthMonitor>(sp => sp.GetRequiredService<AppHealthMonitor>()));
        services.TryAddSingleton<IResiliencyPolicies>(sp => new ResiliencyPolicies(
            sp.GetRequiredService<ResourceSet>().OfKind(ResiliencyKind)
                .Select(d => new ResiliencyDocument(d.Name, d.Spec, d.Scopes, d.SourceFile, d.Line)),
            sp.GetRequiredService<SidecarOptions>().AppId,
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}

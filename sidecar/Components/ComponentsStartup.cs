using Sidecar.Hosting;

namespace Sidecar.Components;

/// <summary>
/// Creates the components when the host starts, before the ports serve, so a component that cannot be served fails the
/// start; then reports outbound readiness.
/// </summary>
internal sealed class ComponentsStartup(IServiceProvider services, SidecarReadiness readiness) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<ComponentStore>();
        // HTTPEndpoint headers may read secrets: read them now, so a wrong one fails the start too.
        _ = services.GetService<Invocation.Endpoints.HttpEndpointRegistry>();
        readiness.MarkComponentsReady();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Dapr.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orders.Infrastructure;
using TestDoubles;

namespace Orders.Tests.Apis;

/// <summary>The orders service in memory, with the Dapr client and the workflow runtime replaced by fakes.</summary>
public sealed class OrdersApiFactory : WebApplicationFactory<Program>
{
    public FakeDaprClient Dapr { get; } = new();

    internal FakeOrderWorkflowClient Workflows { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Orders:ApprovalThreshold", "500");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<DaprClient>();
            services.AddSingleton<DaprClient>(Dapr);
            services.RemoveAll<IOrderWorkflowClient>();
            services.AddSingleton<IOrderWorkflowClient>(Workflows);

            // The workflow worker would dial the sidecar's gRPC port in the background; these tests drive the API only.
            var workers = services.Where(d => d.ServiceType == typeof(IHostedService)
                && (d.ImplementationType ?? d.ImplementationInstance?.GetType())?.Namespace?.StartsWith("Dapr", StringComparison.Ordinal) == true).ToList();
            foreach (var worker in workers)
            {
                services.Remove(worker);
            }
        });
    }
}

using Dapr.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TestSupport;

/// <summary>A real <c>Dapr.Workflow</c> worker in the test process, connected to one sidecar's gRPC port.</summary>
internal static class WorkflowWorker
{
    /// <summary>Starts a worker registering <paramref name="register"/> against the sidecar on <paramref name="grpcPort"/>.</summary>
    public static async Task<IHost> StartAsync(Action<WorkflowRuntimeOptions> register, int grpcPort)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        // The SDK reads its endpoint from configuration first: tests run in parallel, so no environment variables.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DAPR_GRPC_ENDPOINT"] = $"http://127.0.0.1:{grpcPort}",
            ["DAPR_HTTP_ENDPOINT"] = "http://127.0.0.1:1",
        });
        builder.Logging.ClearProviders();
        builder.Services.AddDaprWorkflow(register);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Stops a worker (its sidecar may be dead already: the stop does not wait long for it).</summary>
    public static async Task StopAsync(IHost worker)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await worker.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // The worker's stream ends with the sidecar anyway.
        }

        worker.Dispose();
    }
}

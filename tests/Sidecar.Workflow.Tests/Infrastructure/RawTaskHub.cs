using Dapr.DurableTask.Protobuf;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sidecar.Components;
using Sidecar.Components.State;
using Sidecar.Hosting;
using Sidecar.Workflow.Persistence;

namespace Sidecar.Workflow.Tests.Infrastructure;

/// <summary>
/// A real sidecar with no SDK worker: the test speaks <c>TaskHubSidecarService</c> itself (as worker and client), so it
/// controls exactly when turns complete. The actor state store is wrapped in a <see cref="FailingStateStore"/>.
/// </summary>
internal sealed class RawTaskHub : IAsyncDisposable
{
    private readonly SidecarNetwork _network;
    private readonly SidecarHost _sidecar;
    private readonly GrpcChannel _channel;
    private readonly string _resourcesPath;

    private RawTaskHub(SidecarNetwork network, SidecarHost sidecar, string resourcesPath)
    {
        _network = network;
        _sidecar = sidecar;
        _resourcesPath = resourcesPath;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{sidecar.Options.GrpcPort}");
        Client = new TaskHubSidecarService.TaskHubSidecarServiceClient(_channel);
    }

    public TaskHubSidecarService.TaskHubSidecarServiceClient Client { get; }

    public FailingStateStore Store => (FailingStateStore)_sidecar.Services.GetRequiredService<IWorkflowStateStoreSource>().GetStore()!;

    /// <param name="configureServices">More replacements, e.g. a fake <see cref="TimeProvider"/>.</param>
    public static async Task<RawTaskHub> StartAsync(Action<IServiceCollection>? configureServices = null)
    {
        var resourcesPath = await WorkflowHarness.WriteResourcesAsync(sqlite: false);
        var network = new SidecarNetwork();
        var sidecar = await WorkflowHarness.StartSidecarAsync(network, resourcesPath, "raw-" + Guid.NewGuid().ToString("N")[..8], services =>
        {
            services.TryAddSingleton<IWorkflowStateStoreSource>(sp => new FailingSource(sp.GetRequiredService<IStateStoreRegistry>()));
            configureServices?.Invoke(services);
        });
        return new RawTaskHub(network, sidecar, resourcesPath);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _sidecar.DisposeAsync();
        await _network.DisposeAsync();
        Directory.Delete(_resourcesPath, recursive: true);
    }

    /// <summary>The registry's actor state store, wrapped once so the test can make it fail.</summary>
    private sealed class FailingSource(IStateStoreRegistry registry) : IWorkflowStateStoreSource
    {
        private readonly Lock _lock = new();
        private FailingStateStore? _store;

        public IStateStore? GetStore()
        {
            lock (_lock)
            {
                return _store ??= registry.ActorStateStore?.Instance is IStateStore inner ? new FailingStateStore(inner) : null;
            }
        }
    }
}

using Dapr.Workflow;
using EndToEnd.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;

namespace EndToEnd.Tests.NameResolution;

/// <summary>
/// Workflow apps on <see cref="SeparateSidecars"/>: each a <c>dapr-local</c> process with a SQLite actor state store of
/// its own, and a real <c>Dapr.Workflow</c> worker in this test process connected to that sidecar's gRPC port.
/// </summary>
internal sealed class WorkflowApps(SeparateSidecars sidecars) : IAsyncDisposable
{
    private readonly List<IHost> _workers = [];

    /// <summary>A resources folder with one actor state store, for <paramref name="appId"/>'s sidecar (kept across its restarts).</summary>
    public string ResourcesFor(string appId)
    {
        var folder = sidecars.Folder.Folder(Path.Combine("resources", appId));
        var path = Path.Combine(folder, "statestore.yaml");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, $"""
                apiVersion: dapr.io/v1alpha1
                kind: Component
                metadata:
                  name: statestore
                spec:
                  type: state.sqlite
                  version: v1
                  metadata:
                    - name: databaseFile
                      value: "{Path.Combine(folder, "workflows.db")}"
                    - name: actorStateStore
                      value: "true"
                """);
        }

        return folder;
    }

    /// <summary>Starts <paramref name="appId"/>'s sidecar process and a worker registering <paramref name="register"/> on it.</summary>
    public async Task<(DaprLocal Sidecar, IHost Worker)> StartAsync(string appId, Action<WorkflowRuntimeOptions> register)
    {
        // A metrics port of its own: the default one goes to whichever sidecar of a parallel test took it first.
        var (_, grpcPort, sidecar) = await sidecars.StartSidecarWithPortsAsync(
            appId, null, "--resources-path", ResourcesFor(appId), "--metrics-port", $"{FreePort.Next()}");
        var worker = await WorkflowWorker.StartAsync(register, grpcPort);
        _workers.Add(worker);
        return (sidecar, worker);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            try
            {
                await WorkflowWorker.StopAsync(worker);
            }
            catch (ObjectDisposedException)
            {
                // Stopped by the test already.
            }
        }
    }
}

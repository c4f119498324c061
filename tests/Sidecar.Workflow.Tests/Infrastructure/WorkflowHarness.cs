using Dapr.Workflow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sidecar.Hosting;
using Sidecar.Workflow.Engine;

namespace Sidecar.Workflow.Tests.Infrastructure;

/// <summary>
/// A real sidecar on free loopback ports plus a real <c>Dapr.Workflow</c> worker host (its workflows and activities
/// registered by the test) pointed at it through configuration, and the SDK's <see cref="DaprWorkflowClient"/>.
/// The network (and with it the run's workflow state) outlives <see cref="RestartAsync"/>.
/// </summary>
public sealed class WorkflowHarness : IAsyncDisposable
{
    private readonly Action<WorkflowRuntimeOptions> _register;
    private readonly string _resourcesPath;
    private readonly string _appId;
    private SidecarHost _sidecar;
    private IHost _worker;

    private WorkflowHarness(
        Action<WorkflowRuntimeOptions> register, string resourcesPath, string appId, SidecarNetwork network, SidecarHost sidecar, IHost worker)
    {
        _appId = appId;
        _register = register;
        _resourcesPath = resourcesPath;
        Network = network;
        _sidecar = sidecar;
        _worker = worker;
    }

    public SidecarNetwork Network { get; }

    public SidecarHost Sidecar => _sidecar;

    public DaprWorkflowClient Client => _worker.Services.GetRequiredService<DaprWorkflowClient>();

    /// <summary>The sidecar's workflow engine, for what only it can tell (how many instances it holds in memory).</summary>
    internal WorkflowEngine Engine => _sidecar.Services.GetRequiredService<WorkflowEngine>();

    /// <summary>The app id the sidecar runs as (stored workflow keys start with it).</summary>
    public string AppId => _appId;

    /// <summary>Starts a sidecar whose actor state store is in memory, or a SQLite file when <paramref name="sqlite"/>.</summary>
    public static async Task<WorkflowHarness> StartAsync(Action<WorkflowRuntimeOptions> register, bool sqlite = false)
    {
        var resourcesPath = await WriteResourcesAsync(sqlite);
        var appId = "wf-" + Guid.NewGuid().ToString("N")[..8];
        var network = new SidecarNetwork();
        var sidecar = await StartSidecarAsync(network, resourcesPath, appId);
        var worker = await WorkflowWorker.StartAsync(register, sidecar.Options.GrpcPort);
        return new WorkflowHarness(register, resourcesPath, appId, network, sidecar, worker);
    }

    /// <summary>A temporary resources folder with one actor state store (in memory, or a SQLite file).</summary>
    internal static async Task<string> WriteResourcesAsync(bool sqlite)
    {
        var resourcesPath = Directory.CreateTempSubdirectory("sidecar-wf-").FullName;
        var store = sqlite
            ? """
              type: state.sqlite
                version: v1
                metadata:
                  - name: databaseFile
                    value: workflows.db
              """
            : """
              type: state.in-memory
                version: v1
                metadata:
              """;
        await File.WriteAllTextAsync(Path.Combine(resourcesPath, "statestore.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: statestore
            spec:
              {store}
                - name: actorStateStore
                  value: "true"
            """);
        return resourcesPath;
    }

    /// <summary>Stops the worker and the sidecar, then starts both again over the same run's workflow state.</summary>
    public async Task RestartAsync()
    {
        await WorkflowWorker.StopAsync(_worker);
        await _sidecar.DisposeAsync();
        _sidecar = await StartSidecarAsync(Network, _resourcesPath, _appId);
        _worker = await WorkflowWorker.StartAsync(_register, _sidecar.Options.GrpcPort);
    }

    /// <summary>Polls the workflow until <paramref name="condition"/> holds (the SDK client has no "wait for status").</summary>
    public async Task<WorkflowState> WaitUntilAsync(string instanceId, Func<WorkflowState, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(8));
        while (true)
        {
            var state = await Client.GetWorkflowStateAsync(instanceId, true, cts.Token);
            if (state is not null && condition(state))
            {
                return state;
            }

            await Task.Delay(50, cts.Token);
        }
    }

    /// <summary>Waits for completion, failing the test rather than hanging.</summary>
    public async Task<WorkflowState> WaitForCompletionAsync(string instanceId, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(8));
        return await Client.WaitForWorkflowCompletionAsync(instanceId, true, cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await WorkflowWorker.StopAsync(_worker);
        await _sidecar.DisposeAsync();
        await Network.DisposeAsync();
        try
        {
            Directory.Delete(_resourcesPath, recursive: true);
        }
        catch (IOException)
        {
            // Still in use by a stopping sidecar; the OS temp cleaner takes it.
        }
    }

    /// <summary>
    /// A sidecar on free ports; <paramref name="configureServices"/> may replace its parts (store, clock);
    /// <paramref name="registryFile"/> is the name registry it shares with sidecars of other networks.
    /// </summary>
    internal static Task<SidecarHost> StartSidecarAsync(
        SidecarNetwork network, string resourcesPath, string appId, Action<IServiceCollection>? configureServices = null,
        string? registryFile = null) =>
        SidecarHost.StartAsync(
            new SidecarOptions
            {
                AppId = appId,
                HttpPort = FreePort.Next(),
                GrpcPort = FreePort.Next(),
                ResourcesPaths = [resourcesPath],
                DataDirectory = Path.Combine(resourcesPath, ".dapr"),
                NameRegistryFile = registryFile,
            },
            network,
            configureServices: configureServices);
}

using Dapr.Workflow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sidecar.Hosting;
using Sidecar.Workflow.Engine;
using Sidecar.Workflow.Tests.Infrastructure;

namespace Sidecar.Workflow.Tests.CrossApp;

/// <summary>
/// Two apps, each a sidecar with its own actor state store (a SQLite file) and its own real <c>Dapr.Workflow</c> worker
/// registering that app's workflows and activities. In process (<see cref="StartAsync"/>), as the runner starts them:
/// both sidecars on one <see cref="SidecarNetwork"/>, so the callee's engine is called directly. Apart
/// (<see cref="StartApartAsync"/>), as two processes: each sidecar on a network of its own, sharing only a name
/// registry file, so workflow work crosses over the callee's internal HTTP routes. <see cref="Caller"/> starts
/// workflows; <see cref="Callee"/> is the app they address work to.
/// </summary>
internal sealed class TwoAppHarness : IAsyncDisposable
{
    private readonly string? _registryFolder;
    private readonly SidecarNetwork _shared = new();

    private TwoAppHarness(bool apart)
    {
        _registryFolder = apart ? Directory.CreateTempSubdirectory("sidecar-wf-nr-").FullName : null;
    }

    public string CallerAppId { get; } = "caller-" + Guid.NewGuid().ToString("N")[..6];

    public string CalleeAppId { get; } = "callee-" + Guid.NewGuid().ToString("N")[..6];

    public App CallerApp { get; private set; } = null!;

    public App CalleeApp { get; private set; } = null!;

    /// <summary>The SDK client of the caller app's worker.</summary>
    public DaprWorkflowClient Caller => CallerApp.Client;

    private string? RegistryFile => _registryFolder is null ? null : Path.Combine(_registryFolder, "nr.db");

    public static Task<TwoAppHarness> StartAsync(Action<WorkflowRuntimeOptions> caller, Action<WorkflowRuntimeOptions> callee) =>
        StartAsync(caller, callee, apart: false);

    public static Task<TwoAppHarness> StartApartAsync(Action<WorkflowRuntimeOptions> caller, Action<WorkflowRuntimeOptions> callee) =>
        StartAsync(caller, callee, apart: true);

    private static async Task<TwoAppHarness> StartAsync(Action<WorkflowRuntimeOptions> caller, Action<WorkflowRuntimeOptions> callee, bool apart)
    {
        var harness = new TwoAppHarness(apart);
        try
        {
            harness.CallerApp = new App(harness, harness.CallerAppId, caller, await WorkflowHarness.WriteResourcesAsync(sqlite: true));
            harness.CalleeApp = new App(harness, harness.CalleeAppId, callee, await WorkflowHarness.WriteResourcesAsync(sqlite: true));
            await harness.CallerApp.StartAsync();
            await harness.CalleeApp.StartAsync();
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    public async Task<WorkflowState> WaitForCompletionAsync(string instanceId, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        return await Caller.WaitForWorkflowCompletionAsync(instanceId, true, cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var app in new[] { CallerApp, CalleeApp })
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }

        await _shared.DisposeAsync();
        if (_registryFolder is not null)
        {
            TryDelete(_registryFolder);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Still in use by a stopping sidecar; the OS temp cleaner takes it.
        }
    }

    /// <summary>One app: its sidecar and worker, which a test may stop and start again over the same stored state.</summary>
    internal sealed class App(TwoAppHarness harness, string appId, Action<WorkflowRuntimeOptions> register, string resources) : IAsyncDisposable
    {
        private SidecarNetwork? _ownNetwork;
        private SidecarHost? _sidecar;
        private IHost? _worker;

        public string AppId => appId;

        public DaprWorkflowClient Client => _worker!.Services.GetRequiredService<DaprWorkflowClient>();

        /// <summary>The sidecar's workflow engine (for what only it can do, e.g. repeat a peer's message).</summary>
        public WorkflowEngine Engine => _sidecar!.Services.GetRequiredService<WorkflowEngine>();

        /// <summary><c>host:port</c> of the sidecar's HTTP API.</summary>
        public string Address => $"127.0.0.1:{_sidecar!.Options.HttpPort}";

        /// <summary>The sidecar's registration (its internal token included), as another process finds it.</summary>
        public NameResolution.AppInstance Registration =>
            _sidecar!.Services.GetRequiredService<NameResolution.NameRegistration>().Instance!;

        /// <summary>How the sidecar finds other apps' sidecars.</summary>
        public IWorkflowPeers Peers => _sidecar!.Services.GetRequiredService<IWorkflowPeers>();

        public async Task StartAsync()
        {
            // Apart: a network per start, as a new process would have.
            var network = harness._registryFolder is null ? harness._shared : (_ownNetwork = new SidecarNetwork());
            _sidecar = await WorkflowHarness.StartSidecarAsync(network, resources, appId, registryFile: harness.RegistryFile);
            _worker = await WorkflowWorker.StartAsync(register, _sidecar.Options.GrpcPort);
        }

        /// <summary>Stops the worker and the sidecar (its in-memory queues are lost, its stored workflows stay).</summary>
        public async Task StopAsync()
        {
            if (_worker is not null)
            {
                await WorkflowWorker.StopAsync(_worker);
                _worker = null;
            }

            if (_sidecar is not null)
            {
                await _sidecar.DisposeAsync();
                _sidecar = null;
            }

            if (_ownNetwork is not null)
            {
                await _ownNetwork.DisposeAsync();
                _ownNetwork = null;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            TryDelete(resources);
        }
    }
}

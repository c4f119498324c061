using Dapr.Workflow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sidecar.Hosting;
using Sidecar.Workflow.Tests.Infrastructure;

namespace Sidecar.Workflow.Tests.CrossApp;

/// <summary>
/// Two apps of one run, as the runner starts them: two sidecars on one <see cref="SidecarNetwork"/>, each with its own
/// actor state store (a SQLite file) and its own real <c>Dapr.Workflow</c> worker registering that app's workflows and
/// activities. <see cref="Caller"/> starts workflows; <see cref="Callee"/> is the app they address work to.
/// </summary>
internal sealed class TwoAppHarness : IAsyncDisposable
{
    private readonly List<string> _resources = [];
    private readonly List<SidecarHost> _sidecars = [];
    private readonly List<IHost> _workers = [];
    private readonly SidecarNetwork _network = new();

    public string CallerAppId { get; } = "caller-" + Guid.NewGuid().ToString("N")[..6];

    public string CalleeAppId { get; } = "callee-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>The SDK client of the caller app's worker.</summary>
    public DaprWorkflowClient Caller => _workers[0].Services.GetRequiredService<DaprWorkflowClient>();

    public static async Task<TwoAppHarness> StartAsync(Action<WorkflowRuntimeOptions> caller, Action<WorkflowRuntimeOptions> callee)
    {
        var harness = new TwoAppHarness();
        try
        {
            await harness.AddAppAsync(harness.CallerAppId, caller);
            await harness.AddAppAsync(harness.CalleeAppId, callee);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    public async Task<WorkflowState> WaitForCompletionAsync(string instanceId)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await Caller.WaitForWorkflowCompletionAsync(instanceId, true, cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await WorkflowHarness.StopWorkerAsync(worker);
        }

        foreach (var sidecar in _sidecars)
        {
            await sidecar.DisposeAsync();
        }

        await _network.DisposeAsync();
        foreach (var path in _resources)
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
    }

    private async Task AddAppAsync(string appId, Action<WorkflowRuntimeOptions> register)
    {
        var resources = await WorkflowHarness.WriteResourcesAsync(sqlite: true);
        _resources.Add(resources);
        var sidecar = await WorkflowHarness.StartSidecarAsync(_network, resources, appId);
        _sidecars.Add(sidecar);
        _workers.Add(await WorkflowHarness.StartWorkerAsync(register, sidecar.Options.GrpcPort));
    }
}

using Sidecar.Workflow.Engine;

namespace Sidecar.Workflow;

/// <summary>Loads stored workflows when the sidecar starts, so unfinished ones resume without waiting for a first call.</summary>
internal sealed class WorkflowStartup(WorkflowEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => engine.EnsureLoadedAsync();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

namespace Sidecar.Hosting;

/// <summary>
/// A host lifetime that ignores Ctrl+C and SIGTERM: the CLI owns signals and stops the runner's apps before the
/// sidecars, so a sidecar never stops on its own underneath a running app. It stops through the Shutdown API or its owner.
/// </summary>
internal sealed class CliOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

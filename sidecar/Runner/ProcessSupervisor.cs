namespace Sidecar.Runner;

/// <summary>
/// Every child process of a run (the apps, the build, the dashboard) in one list: each runs in a process group of
/// its own, is watched by the <see cref="OrphanGuard"/> so it cannot outlive the runner, and is stopped the same way
/// (SIGTERM, the grace period, SIGKILL).
/// </summary>
internal sealed class ProcessSupervisor : IDisposable
{
    private readonly OrphanGuard _guard = OrphanGuard.Start();
    private readonly Lock _lock = new();
    private readonly List<SupervisedProcess> _processes = [];

    /// <summary>How long a process gets to exit after SIGTERM before it is killed.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The watchdog's pid, where there is one (Linux, macOS).</summary>
    public int? WatchdogPid => _guard.WatchdogPid;

    /// <summary>Starts <paramref name="launch"/> under supervision; its lines go to <paramref name="output"/>.</summary>
    public SupervisedProcess Start(ProcessLaunch launch, Action<string> output)
    {
        var process = SupervisedProcess.Start(launch, output);
        _guard.Watch(process);
        lock (_lock)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>
    /// Stops <paramref name="process"/> and what it started; <paramref name="hurry"/> cuts the grace period short.
    /// True when nothing of it is left.
    /// </summary>
    public async Task<bool> StopAsync(SupervisedProcess process, CancellationToken hurry)
    {
        var gone = await process.StopAsync(GracePeriod, hurry);
        if (gone)
        {
            _guard.Forget(process);
        }

        return gone;
    }

    /// <summary>
    /// Stops every process at once but <paramref name="except"/> (stopped later by its owner); returns those that could
    /// not be stopped (normally none).
    /// </summary>
    public async Task<IReadOnlyList<SupervisedProcess>> StopAllAsync(CancellationToken hurry, SupervisedProcess? except = null)
    {
        List<SupervisedProcess> all;
        lock (_lock)
        {
            all = [.. _processes.Where(p => p != except)];
        }

        var stopped = await Task.WhenAll(all.Select(p => StopAsync(p, hurry)));
        return [.. all.Where((_, i) => !stopped[i])];
    }

    /// <summary>Call after <see cref="StopAllAsync"/>: the watchdog exits, and kills whatever is still listed.</summary>
    public void Dispose()
    {
        _guard.Dispose();
        lock (_lock)
        {
            foreach (var process in _processes)
            {
                process.Dispose();
            }
        }
    }
}

using System.Runtime.InteropServices;

namespace Sidecar.Cli;

/// <summary>Ctrl+C and SIGTERM as a cancellation token, instead of the default of dying on the spot.</summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    public CancellationToken Token => _stop.Token;

    private void OnSignal(PosixSignalContext context)
    {
        // The first signal stops in order (apps, then sidecars) rather than exiting with children still running; a
        // second one, while that is under way, is the user insisting: let the runtime exit at once.
        context.Cancel = !_stop.IsCancellationRequested;
        _stop.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }
}

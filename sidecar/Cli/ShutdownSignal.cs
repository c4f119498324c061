using System.Runtime.InteropServices;

namespace Sidecar.Cli;

/// <summary>
/// Ctrl+C and SIGTERM as two cancellation tokens: <see cref="Token"/> (stop in order) and <see cref="Hurry"/> (a later
/// signal: cut the grace period short). The runtime's default of dying on the spot is never allowed, because a process
/// that dies with children running leaves them behind.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    /// <summary>
    /// Signals this close together are one request: a signal to a process group reaches both <c>dotnet run</c> and the
    /// runner, and <c>dotnet run</c> forwards its copy, so one <c>kill -TERM -- -pgid</c> arrives twice.
    /// </summary>
    private static readonly TimeSpan SameRequest = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _hurry = new();
    private readonly PosixSignalRegistration[] _registrations;
    private long _firstSignalAt;

    public ShutdownSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Cancelled by the first signal: stop everything in order.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Cancelled by a signal that comes later than the first: stop waiting for apps to exit, kill them now.</summary>
    public CancellationToken Hurry => _hurry.Token;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        var now = Environment.TickCount64;
        if (Interlocked.CompareExchange(ref _firstSignalAt, now, 0) == 0)
        {
            _stop.Cancel();
        }
        else if (now - Interlocked.Read(ref _firstSignalAt) >= SameRequest.TotalMilliseconds)
        {
            _hurry.Cancel();
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
        _hurry.Dispose();
    }
}

using System.Security.Cryptography;
using System.Text;
using Sidecar.Hosting;

namespace Sidecar.NameResolution;

/// <summary>
/// Puts this sidecar in the registry once it serves (so no caller finds a port that is not listening yet), renews the
/// row every <see cref="NameResolutionSettings.HeartbeatInterval"/>, and removes it when the sidecar stops. A sidecar
/// that dies without stopping stops renewing, and callers stop finding it once the row is older than the update
/// interval. Also checks the internal token that other sidecars present when they invoke this one's app.
/// </summary>
internal sealed partial class NameRegistration(
    SqliteNameRegistry? registry, SidecarOptions options, IServiceProvider services, TimeProvider time,
    ILogger<NameRegistration> logger) : IHostedLifecycleService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly byte[] _token = Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
    private AppInstance? _instance;
    private Task _heartbeats = Task.CompletedTask;
    private int _left;

    /// <summary>The registered instance, or null (no registry, or not started).</summary>
    public AppInstance? Instance => _instance;

    /// <summary>True when <paramref name="presented"/> is this sidecar's internal token (compared in constant time).</summary>
    public bool IsInternalToken(string? presented) =>
        _instance is not null && presented is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presented), _token);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (registry is null)
        {
            return;
        }

        var host = options.ListenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : options.ListenAddress;
        _instance = new AppInstance(
            Guid.NewGuid().ToString("N"), options.AppId, host, options.HttpPort, options.GrpcPort, options.AppPort,
            Environment.ProcessId, Encoding.ASCII.GetString(_token), 0);
        registry.AddLocal(_instance.RegistrationId, services);
        await registry.RegisterAsync(_instance, cancellationToken);
        LogRegistered(options.AppId, _instance.Address, registry.Settings.DatabaseFile);
        _heartbeats = RenewAsync(registry, _instance, _stopping.Token);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => LeaveAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A host disposed without being stopped (the runner disposes its sidecars) leaves the registry too.</summary>
    public async ValueTask DisposeAsync()
    {
        await LeaveAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    /// <summary>Stops the heartbeats and removes the row, once.</summary>
    private async Task LeaveAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _left, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _heartbeats;
        if (registry is null || _instance is null)
        {
            return;
        }

        registry.RemoveLocal(_instance.RegistrationId);
        try
        {
            await registry.UnregisterAsync(_instance.RegistrationId, cancellationToken);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or OperationCanceledException or ObjectDisposedException)
        {
            // The row expires by itself once heartbeats stop.
            LogHeartbeatFailed(e.Message);
        }
    }

    private async Task RenewAsync(SqliteNameRegistry registry, AppInstance instance, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(registry.Settings.HeartbeatInterval, time, stopping);
                if (!await registry.RenewAsync(instance.RegistrationId, stopping))
                {
                    // Swept while this process was paused, or taken over: register again rather than vanish.
                    LogRegisteredAgain(instance.AppId);
                    await registry.RegisterAsync(instance, stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                LogHeartbeatFailed(e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Name resolution: '{AppId}' registered at {Address} in {File}")]
    private partial void LogRegistered(string appId, string address, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Name resolution: the registration of '{AppId}' was gone; registered again")]
    private partial void LogRegisteredAgain(string appId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Name resolution: the registry could not be updated: {Error}")]
    private partial void LogHeartbeatFailed(string error);
}

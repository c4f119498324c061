using System.Runtime.ExceptionServices;
using EndToEnd.Tests.Infrastructure;
using EndToEnd.Tests.Telemetry;

namespace EndToEnd.Tests.WholeSystem;

/// <summary>
/// One running system shared by the tests of a system collection, on one <see cref="SystemBackend"/>, started on first
/// use with fresh data. A test that needs the ports for a run of its own calls <see cref="StopAsync"/>; the next user starts it
/// again. Stopping is Ctrl+C and must exit 0, which also proves the runner cleans up after real apps.
/// </summary>
public abstract class SystemFixture(SystemBackend backend) : IAsyncLifetime
{
    /// <summary>Short waits so the tests finish quickly; thresholds stay at their defaults (approval above 500, payments up to 1000).</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Orders__ApprovalTimeout"] = "00:00:08",
        ["Payments__ProcessingDelay"] = "00:00:00.100",
    };

    private readonly SemaphoreSlim _gate = new(1, 1);
    private SystemRun? _run;
    private SystemData? _data;
    private ExceptionDispatchInfo? _startFailure;

    public SystemClient Client { get; } = new();

    /// <summary>What serves the components: embedded or Redis.</summary>
    public SystemBackend Backend { get; } = backend;

    /// <summary>
    /// Where the system's telemetry goes: the runner passes an <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> of its environment to
    /// every app and sidecar (and so starts no dashboard). Metrics are exported every second so tests need not wait.
    /// </summary>
    public OtlpReceiver Telemetry { get; private set; } = null!;

    private IReadOnlyDictionary<string, string> RunSettings => new Dictionary<string, string>(Settings)
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Telemetry.Endpoint,
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "500",
    };

    /// <summary>The running system (started now if it is not); a start that failed once fails every later caller at once.</summary>
    public async Task<SystemClient> RunningAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _startFailure?.Throw();
            if (_run is null)
            {
                try
                {
                    _data = await Backend.NewDataAsync();
                    _run = await SystemRun.StartAsync(_data, RunSettings, Client);
                }
                catch (Exception e)
                {
                    _startFailure = ExceptionDispatchInfo.Capture(e);
                    if (_data is not null)
                    {
                        await _data.DisposeAsync();
                        _data = null;
                    }

                    throw;
                }
            }

            return Client;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the shared system with Ctrl+C (asserting exit 0 and no app left) and deletes its data.</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_run is not null)
            {
                try
                {
                    await _run.StopAsync();
                }
                finally
                {
                    await _run.DisposeAsync();
                    _run = null;
                    if (_data is not null)
                    {
                        await _data.DisposeAsync();
                        _data = null;
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task InitializeAsync() => Telemetry = await OtlpReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Client.Dispose();
            _gate.Dispose();
            await Telemetry.DisposeAsync();
        }
    }
}

/// <summary>The system on the built-in SQLite store and broker (<c>--embedded</c>).</summary>
public sealed class EmbeddedSystemFixture() : SystemFixture(SystemBackend.Embedded);

/// <summary>The system on a real redis-server: <c>components/</c> as they are but for <c>redisHost</c>.</summary>
public sealed class RedisSystemFixture() : SystemFixture(SystemBackend.Redis);

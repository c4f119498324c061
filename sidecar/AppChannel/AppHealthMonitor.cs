using Microsoft.Extensions.Hosting;
using Sidecar.Hosting;

namespace Sidecar.AppChannel;

/// <summary>
/// Probes <see cref="AppHealthOptions.Path"/> (a gRPC app: <c>AppCallbackHealthCheck.HealthCheck</c>) every <see cref="AppHealthOptions.Interval"/>: the app turns unhealthy
/// after <see cref="AppHealthOptions.Threshold"/> failures in a row and healthy again on the first success. Like daprd,
/// an app with health checks starts unhealthy until its first successful probe.
/// </summary>
internal sealed partial class AppHealthMonitor : BackgroundService, IAppHealth
{
    private readonly IAppChannel _channel;
    private readonly AppHealthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AppHealthMonitor> _logger;
    private static readonly TimeSpan StartupProbeInterval = TimeSpan.FromMilliseconds(250);
    private readonly Lock _gate = new();
    private volatile bool _answeredOnce;
    private TaskCompletionSource _healthy = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _failures;

    public AppHealthMonitor(IAppChannel channel, SidecarOptions options, TimeProvider time, ILogger<AppHealthMonitor> logger)
    {
        _channel = channel;
        _options = options.AppHealth;
        _time = time;
        _logger = logger;
        if (!_options.Enabled || !channel.IsConfigured)
        {
            _healthy.TrySetResult();
        }
    }

    public bool IsHealthy => _healthy.Task.IsCompleted;

    public event Action<bool>? Changed;

    public Task WaitUntilHealthyAsync(CancellationToken cancellationToken) =>
        _healthy.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled || !_channel.IsConfigured)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var success = await ProbeAsync(stoppingToken);
            _answeredOnce |= success;
            Report(success);
            try
            {
                await Task.Delay(NextProbeDelay(), _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Until the app has answered once, probe often: it is starting, and invocations and deliveries wait for it. After
    /// that, the configured interval.
    /// </summary>
    private TimeSpan NextProbeDelay() =>
        _answeredOnce || _options.Interval < StartupProbeInterval ? _options.Interval : StartupProbeInterval;

    /// <summary>Records one probe result and flips the state when the rules say so.</summary>
    internal void Report(bool success)
    {
        bool? changedTo = null;
        lock (_gate)
        {
            if (success)
            {
                _failures = 0;
                if (!_healthy.Task.IsCompleted)
                {
                    _healthy.TrySetResult();
                    changedTo = true;
                }
            }
            else if (++_failures >= _options.Threshold && _healthy.Task.IsCompleted)
            {
                _healthy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changedTo = false;
            }
        }

        if (changedTo is { } healthy)
        {
            LogHealthChanged(healthy ? "healthy" : "unhealthy");
            Changed?.Invoke(healthy);
        }
    }

    private async Task<bool> ProbeAsync(CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        try
        {
            if (_channel.GrpcApp is { } grpcApp)
            {
                // dapr/dapr pkg/channel/grpc/grpc_channel.go HealthProbe: any answer that is not an error is healthy.
                await grpcApp.HealthCheck.HealthCheckAsync(new global::Grpc.Core.CallOptions(cancellationToken: linked.Token));
                return true;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, _channel.UriFor(_options.Path));
            request.Options.Set(AppConcurrencyLimiter.IsHealthProbe, true);
            using var response = await _channel.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or global::Grpc.Core.RpcException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "App health changed: the app is now {State}")]
    private partial void LogHealthChanged(string state);
}

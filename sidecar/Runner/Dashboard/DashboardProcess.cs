using System.Net.Sockets;
using System.Security.Cryptography;

namespace Sidecar.Runner.Dashboard;

/// <summary>
/// The standalone Aspire Dashboard as a child of the runner, bound to 127.0.0.1 only. The UI asks for a browser token,
/// new for every run and printed in the login URL (anyone else on the machine can reach loopback; only the person who
/// started the run has the token). OTLP is unauthenticated, as an OpenTelemetry collector on localhost is: only local
/// processes can reach it. Started by the run's <see cref="ProcessSupervisor"/>, so it is stopped with its whole process
/// group when the run stops and cannot outlive a runner that is killed.
/// </summary>
internal sealed class DashboardProcess : IAsyncDisposable
{
    private readonly ProcessSupervisor _supervisor;
    private readonly SupervisedProcess _process;

    private DashboardProcess(ProcessSupervisor supervisor, SupervisedProcess process, DashboardEndpoints endpoints, string token)
    {
        _supervisor = supervisor;
        _process = process;
        Endpoints = endpoints;
        LoginUrl = $"{endpoints.UiUrl}/login?t={token}";
    }

    public DashboardEndpoints Endpoints { get; }

    /// <summary>The URL to open: it signs the browser in with this run's token.</summary>
    public string LoginUrl { get; }

    public int Pid => _process.Pid;

    /// <summary>The supervised process (the runner stops it after the sidecars have flushed their telemetry).</summary>
    public SupervisedProcess Process => _process;

    /// <summary>
    /// Starts the dashboard under <paramref name="supervisor"/> (its own process group, the orphan guard), named
    /// <paramref name="name"/>; throws <see cref="RunnerException"/> when the executable cannot start.
    /// </summary>
    public static DashboardProcess Start(
        ProcessSupervisor supervisor, string name, string executable, DashboardEndpoints endpoints, Action<string> output)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = endpoints.UiUrl,
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = endpoints.OtlpGrpcUrl,
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = endpoints.OtlpHttpUrl,
            ["DASHBOARD__FRONTEND__AUTHMODE"] = "BrowserToken",
            ["DASHBOARD__FRONTEND__BROWSERTOKEN"] = token,
            ["DASHBOARD__OTLP__AUTHMODE"] = "Unsecured",
            // Its own start-up banner repeats the token; the runner prints the one line that matters.
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Aspire.Dashboard"] = "Warning",
            // The runner's own OTLP settings are for the apps, not for the dashboard's own telemetry.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
        };
        var launch = new ProcessLaunch(name, [executable], Path.GetDirectoryName(executable)!) { Environment = environment };
        var process = supervisor.Start(launch, line => Forward(line, output));
        return new DashboardProcess(supervisor, process, endpoints, token);
    }

    /// <summary>Waits until the UI port accepts connections (or the process exits, or <paramref name="timeout"/> passes).</summary>
    public async Task<bool> WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.Exited.IsCompleted)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Endpoints.UiPort, cancellationToken);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }

        return false;
    }

    private static void Forward(string? line, Action<string> output)
    {
        if (!string.IsNullOrWhiteSpace(line))
        {
            output(line);
        }
    }

    /// <summary>
    /// Stops it at once (the dashboard keeps nothing worth a graceful shutdown: its telemetry lives in memory only).
    /// Whatever would not die is killed by the supervisor's orphan guard when the run ends.
    /// </summary>
    public async ValueTask DisposeAsync() => await _supervisor.StopAsync(_process, new CancellationToken(canceled: true));
}

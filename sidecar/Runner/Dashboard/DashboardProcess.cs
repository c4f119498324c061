using System.ComponentModel;
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Sidecar.Runner.Dashboard;

/// <summary>
/// The standalone Aspire Dashboard as a child of the runner, bound to 127.0.0.1 only. The UI asks for a browser token,
/// new for every run and printed in the login URL (anyone else on the machine can reach loopback; only the person who
/// started the run has the token). OTLP is unauthenticated, as an OpenTelemetry collector on localhost is: only local
/// processes can reach it. Stopped, with its whole process tree, when the run stops.
/// </summary>
internal sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;

    private DashboardProcess(Process process, DashboardEndpoints endpoints, string token)
    {
        _process = process;
        Endpoints = endpoints;
        LoginUrl = $"{endpoints.UiUrl}/login?t={token}";
    }

    public DashboardEndpoints Endpoints { get; }

    /// <summary>The URL to open: it signs the browser in with this run's token.</summary>
    public string LoginUrl { get; }

    public int Pid => _process.Id;

    /// <summary>Starts the dashboard; throws <see cref="RunnerException"/> when the executable cannot start.</summary>
    public static DashboardProcess Start(string executable, DashboardEndpoints endpoints, Action<string> output)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Path.GetDirectoryName(executable)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var environment = new Dictionary<string, string>
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
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        // The runner's own OTLP settings are for the apps, not for the dashboard's own telemetry.
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Forward(e.Data, output);
        process.ErrorDataReceived += (_, e) => Forward(e.Data, output);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new RunnerException($"dashboard: cannot start {executable}: {e.Message}");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new DashboardProcess(process, endpoints, token);
    }

    /// <summary>Waits until the UI port accepts connections (or the process exits, or <paramref name="timeout"/> passes).</summary>
    public async Task<bool> WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
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

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // The dashboard keeps nothing worth a graceful shutdown: its telemetry lives in memory only.
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or Win32Exception)
        {
            // Already gone, or it would not die: nothing more a runner can do.
        }
        finally
        {
            _process.Dispose();
        }
    }
}

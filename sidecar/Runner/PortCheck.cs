using System.Net;
using System.Net.Sockets;

namespace Sidecar.Runner;

/// <summary>Ports: picking free ones, and proving before anything starts that every port of a run can be bound.</summary>
internal static class PortCheck
{
    /// <summary>A free loopback port not in <paramref name="taken"/>.</summary>
    public static int FreePort(ISet<int> taken)
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (!taken.Contains(port))
            {
                return port;
            }
        }
    }

    /// <summary>
    /// Throws naming the first port of <paramref name="plan"/> that is already in use on 127.0.0.1, the setting and
    /// run file line that want it, and the process holding it when the system can tell.
    /// </summary>
    public static void EnsureFree(RunPlan plan)
    {
        foreach (var app in plan.Apps)
        {
            Check(app, app.AppPort, "appPort");
            Check(app, app.HttpPort, "daprHTTPPort");
            Check(app, app.GrpcPort, "daprGRPCPort");
            if (app.Observability.MetricsPort is { } metrics)
            {
                Check(app, metrics, "metricsPort");
            }
        }
    }

    private static void Check(AppPlan app, int? port, string name)
    {
        if (port is not { } value)
        {
            return;
        }

        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, value);
            listener.Start();
        }
        catch (SocketException)
        {
            var holder = PortHolder.Describe(value) is { } process ? $" by {process}" : "";
            throw new RunnerException($"port {value} ({name} of app '{app.AppId}', {app.Source}) is already in use{holder}");
        }
    }

    /// <summary>True when something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

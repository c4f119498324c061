using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sidecar.Runner.Dashboard;

/// <summary>
/// The dashboard's ports on 127.0.0.1: its UI on 18888 and OTLP on 4317 (gRPC) and 4318 (HTTP), as Aspire uses them,
/// each replaced by a free port when another process holds it.
/// </summary>
internal sealed record DashboardEndpoints(int UiPort, int OtlpGrpcPort, int OtlpHttpPort)
{
    public const int DefaultUiPort = 18888;
    public const int DefaultOtlpGrpcPort = 4317;
    public const int DefaultOtlpHttpPort = 4318;

    public string UiUrl => Url(UiPort);
    public string OtlpGrpcUrl => Url(OtlpGrpcPort);
    public string OtlpHttpUrl => Url(OtlpHttpPort);

    public static DashboardEndpoints Choose(Func<int, bool> isFree, Func<ISet<int>, int> freePort)
    {
        var taken = new HashSet<int>();
        int Pick(int preferred)
        {
            var port = !taken.Contains(preferred) && isFree(preferred) ? preferred : freePort(taken);
            taken.Add(port);
            return port;
        }

        return new DashboardEndpoints(Pick(DefaultUiPort), Pick(DefaultOtlpGrpcPort), Pick(DefaultOtlpHttpPort));
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string Url(int port) => $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
}

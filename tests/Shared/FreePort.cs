using System.Net;
using System.Net.Sockets;

namespace TestSupport;

/// <summary>
/// Free loopback TCP ports for tests that start real servers on ports they must name in advance. Ports are drawn from
/// below Linux's ephemeral range (32768 and up): the hundreds of outgoing connections the tests open take their local
/// ports from that range, so a port chosen there could be taken again before the server binds it.
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int Last = 32000;

    public static int Next()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port between {First} and {Last} after 200 attempts");
    }

    /// <summary>Whether a server could bind <paramref name="port"/> on loopback now (nothing holds it).</summary>
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
}

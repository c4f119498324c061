using System.Net;
using System.Net.Sockets;
using Sidecar.Runner;

namespace EndToEnd.Tests.Runner;

public sealed class PortCheckTests
{
    [Fact]
    public void EnsureFree_WhenAPortIsTaken_NamesPortRoleAndApp()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var taken = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var app = new AppPlan { AppId = "shop", Source = "dapr.yaml:3", AppDirPath = "/", HttpPort = taken, GrpcPort = PortCheck.FreePort(new HashSet<int>()) };
        var plan = new RunPlan("dapr.yaml", "/tmp", Embedded: false, [app]);

        var error = Assert.Throws<RunnerException>(() => PortCheck.EnsureFree(plan));

        Assert.Equal($"port {taken} (daprHTTPPort of app 'shop') is already in use", error.Message);
    }

    [Fact]
    public void FreePort_NeverReturnsATakenPort()
    {
        var first = PortCheck.FreePort(new HashSet<int>());

        var second = PortCheck.FreePort(new HashSet<int> { first });

        Assert.NotEqual(first, second);
    }
}

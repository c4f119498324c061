using System.Net;
using System.Net.Sockets;
using Sidecar.Runner;

namespace EndToEnd.Tests.Runner;

public sealed class PortCheckTests
{
    [Fact]
    public void EnsureFree_WhenAPortIsTaken_NamesPortRoleAppRunFileLineAndHolder()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var taken = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var app = new AppPlan { AppId = "shop", Source = "dapr.yaml:3", AppDirPath = "/", HttpPort = taken, GrpcPort = PortCheck.FreePort(new HashSet<int>()) };
        var plan = new RunPlan("dapr.yaml", "/tmp", Embedded: false, [app]);

        var error = Assert.Throws<RunnerException>(() => PortCheck.EnsureFree(plan));

        // The holder is this test process: it has the listening socket open.
        var command = File.ReadAllText($"/proc/{Environment.ProcessId}/cmdline").Replace('\0', ' ').Trim();
        Assert.Equal($"port {taken} (daprHTTPPort of app 'shop', dapr.yaml:3) is already in use by pid {Environment.ProcessId}: {command}", error.Message);
    }

    [Fact]
    public void PortHolder_WhenNothingHoldsThePort_SaysNothing()
    {
        var free = PortCheck.FreePort(new HashSet<int>());

        Assert.Null(PortHolder.Describe(free));
    }

    [Fact]
    public void FreePort_NeverReturnsATakenPort()
    {
        var first = PortCheck.FreePort(new HashSet<int>());

        var second = PortCheck.FreePort(new HashSet<int> { first });

        Assert.NotEqual(first, second);
    }
}

using EndToEnd.Tests.Infrastructure;
using Sidecar.Runner;

namespace EndToEnd.Tests.Cli;

/// <summary>dapr-local started like daprd (one sidecar, flags), as a real process.</summary>
public sealed class SingleSidecarProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TempRunFolder _folder = new();

    [Fact]
    public async Task SingleSidecar_ServesBothPorts_AndExitsZeroOnSigterm()
    {
        var (httpPort, grpcPort) = (FreePort.Next(), FreePort.Next());

        await using var sidecar = DaprLocal.Start(
            _folder.Path, "--app-id", "solo", "--dapr-http-port", $"{httpPort}", "--dapr-grpc-port", $"{grpcPort}");
        await sidecar.WaitForLineAsync($"sidecar 'solo' serving HTTP on 127.0.0.1:{httpPort}", Timeout);

        Assert.True(await PortCheck.IsListeningAsync(httpPort, CancellationToken.None));
        Assert.True(await PortCheck.IsListeningAsync(grpcPort, CancellationToken.None));

        Processes.Signal(sidecar.Pid, Processes.SigTerm);

        Assert.Equal(0, await sidecar.WaitForExitAsync(Timeout));
        Assert.Empty(sidecar.Stderr);
    }

    [Fact]
    public async Task SingleSidecar_WhenPortIsTaken_ExitsOneWithOneLine()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var taken = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port;

        await using var sidecar = DaprLocal.Start(
            _folder.Path, "--app-id", "solo", "--dapr-http-port", $"{taken}", "--dapr-grpc-port", $"{FreePort.Next()}");

        Assert.Equal(1, await sidecar.WaitForExitAsync(Timeout));
        var error = Assert.Single(sidecar.Stderr);
        Assert.StartsWith("dapr-local: sidecar 'solo' failed to start:", error, StringComparison.Ordinal);
        Assert.Contains($"{taken}", error, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();
}

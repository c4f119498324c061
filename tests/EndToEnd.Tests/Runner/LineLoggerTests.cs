using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sidecar.Runner;

namespace EndToEnd.Tests.Runner;

public sealed class LineLoggerTests
{
    private static (ILoggerFactory Factory, List<string> Lines) Logging(string daprLevel)
    {
        var lines = new List<string>();
        var services = new ServiceCollection()
            .AddLogging(logging => LineLoggerProvider.Configure(logging, lines.Add, LineLoggerProvider.FromDaprLevel(daprLevel)))
            .BuildServiceProvider();
        return (services.GetRequiredService<ILoggerFactory>(), lines);
    }

    [Fact]
    public void Configure_AtInfo_WritesSidecarLines_ButNotAspNetRequestLines()
    {
        var (factory, lines) = Logging("info");

        factory.CreateLogger("Sidecar.State").LogInformation("saved {Key}", "k1");
        factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation("Request starting");
        factory.CreateLogger("Sidecar.State").LogDebug("detail");

        Assert.Equal(["info: Sidecar.State: saved k1"], lines);
    }

    [Fact]
    public void Configure_AtDebug_WritesEverything()
    {
        var (factory, lines) = Logging("debug");

        factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation("Request starting");
        factory.CreateLogger("Sidecar.State").LogDebug("detail");

        Assert.Equal(["info: Microsoft.AspNetCore.Hosting.Diagnostics: Request starting", "dbug: Sidecar.State: detail"], lines);
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using Sidecar.AppChannel;
using Sidecar.Hosting;

namespace Sidecar.Tests.AppChannel;

public sealed class AppHealthMonitorTests
{
    private static AppHealthMonitor Monitor(bool enabled) => new(
        new HttpAppChannel(Options(enabled), TimeProvider.System),
        Options(enabled), TimeProvider.System, NullLogger<AppHealthMonitor>.Instance);

    private static SidecarOptions Options(bool enabled) => new()
    {
        AppId = "app",
        AppPort = 1,
        AppHealth = new AppHealthOptions { Enabled = enabled, Threshold = 2 },
    };

    [Fact]
    public void WithoutHealthChecks_TheAppIsHealthy()
    {
        Assert.True(Monitor(enabled: false).IsHealthy);
    }

    [Fact]
    public void WithHealthChecks_TheAppStartsUnhealthyUntilTheFirstSuccess()
    {
        var monitor = Monitor(enabled: true);
        Assert.False(monitor.IsHealthy);

        monitor.Report(success: true);

        Assert.True(monitor.IsHealthy);
    }

    [Fact]
    public async Task Unhealthy_AfterThresholdFailuresInARow_AndHealthyAgainOnTheFirstSuccess()
    {
        var monitor = Monitor(enabled: true);
        var changes = new List<bool>();
        monitor.Changed += changes.Add;
        monitor.Report(success: true);

        monitor.Report(success: false);
        Assert.True(monitor.IsHealthy);
        monitor.Report(success: false);
        Assert.False(monitor.IsHealthy);

        var waiting = monitor.WaitUntilHealthyAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        monitor.Report(success: true);
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal([true, false, true], changes);
    }
}

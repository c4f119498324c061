using Orders.Infrastructure;
using Orders.Models;
using TestDoubles;

namespace Orders.Tests.Infrastructure;

/// <summary>Order outcomes are counted by final status; intermediate statuses are not outcomes.</summary>
public sealed class OrderMetricsTests
{
    [Fact]
    public void Settled_CountsEachFinalStatusUnderItsOutcome()
    {
        var meters = TestMeters.Factory();
        using var counters = new CounterRecorder(meters);
        var metrics = new OrderMetrics(meters);

        metrics.Started();
        foreach (var status in Enum.GetValues<OrderStatus>())
        {
            metrics.Settled(status);
        }

        Assert.Equal(1, counters.Total("orders.started"));
        Assert.Equal(1, counters.Total("orders.completed"));
        Assert.Equal(2, counters.Total("orders.cancelled"));
        Assert.Equal(1, counters.Total("orders.failed"));
    }
}

using System.Diagnostics.Metrics;
using Orders.Models;

namespace Orders.Infrastructure;

/// <summary>
/// The orders service's domain metrics (meter <c>DaprShop.Orders</c>): how many orders started and how they ended.
/// Outcomes are counted by the activity that records them, which runs once per settled order (workflows replay; activities
/// whose result is recorded do not).
/// </summary>
public sealed class OrderMetrics
{
    public const string MeterName = "DaprShop.Orders";

    private readonly Counter<long> _started;
    private readonly Counter<long> _completed;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _failed;

    public OrderMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _started = meter.CreateCounter<long>("orders.started", "{order}", "Orders accepted whose workflow was scheduled.");
        _completed = meter.CreateCounter<long>("orders.completed", "{order}", "Orders reserved, paid and completed.");
        _cancelled = meter.CreateCounter<long>("orders.cancelled", "{order}",
            "Orders cancelled: short stock, a declined payment, or an approval rejected or timed out (tag status).");
        _failed = meter.CreateCounter<long>("orders.failed", "{order}", "Orders whose workflow failed after its retries.");
    }

    public void Started() => _started.Add(1);

    /// <summary>Counts a final status; intermediate ones (Pending, AwaitingApproval) are not outcomes.</summary>
    public void Settled(OrderStatus status)
    {
        var tag = new KeyValuePair<string, object?>("status", status.ToString());
        switch (status)
        {
            case OrderStatus.Completed:
                _completed.Add(1);
                break;
            case OrderStatus.Cancelled or OrderStatus.Rejected:
                _cancelled.Add(1, tag);
                break;
            case OrderStatus.Failed:
                _failed.Add(1);
                break;
        }
    }
}

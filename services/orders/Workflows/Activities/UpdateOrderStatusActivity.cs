using Dapr.Workflow;
using Orders.Infrastructure;

namespace Orders.Workflows.Activities;

/// <summary>Writes the workflow's progress into the order record that <c>GET /orders/{id}</c> reads.</summary>
public sealed class UpdateOrderStatusActivity(OrderStore store, OrderMetrics metrics) : WorkflowActivity<OrderStatusUpdate, bool>
{
    public override async Task<bool> RunAsync(WorkflowActivityContext context, OrderStatusUpdate input)
    {
        await store.UpdateAsync(
            input.OrderId, order => order with { Status = input.Status, Total = input.Total, Reason = input.Reason },
            CancellationToken.None);
        metrics.Settled(input.Status);
        return true;
    }
}

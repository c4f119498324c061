using Contracts;
using Dapr.Client;
using Dapr.Workflow;

namespace Orders.Workflows.Activities;

/// <summary>Publishes <see cref="OrderCancelled"/> on topic <c>orders</c>: CloudEvent type <c>order.cancelled</c>, id <c>{orderId}:order.cancelled</c>.</summary>
public sealed class PublishOrderCancelledActivity(DaprClient dapr) : WorkflowActivity<OrderCancelled, bool>
{
    public override async Task<bool> RunAsync(WorkflowActivityContext context, OrderCancelled input)
    {
        await dapr.PublishEventAsync(DaprNames.PubSub, DaprNames.Topics.Orders, input,
            OrderEventMetadata.For(input.OrderId, DaprNames.EventTypes.OrderCancelled));
        return true;
    }
}

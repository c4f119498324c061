using Contracts;
using Dapr.Client;
using Dapr.Workflow;

namespace Orders.Workflows.Activities;

/// <summary>Publishes <see cref="OrderCompleted"/> on topic <c>orders</c>: CloudEvent type <c>order.completed</c>, id <c>{orderId}:order.completed</c>.</summary>
public sealed class PublishOrderCompletedActivity(DaprClient dapr) : WorkflowActivity<OrderCompleted, bool>
{
    public override async Task<bool> RunAsync(WorkflowActivityContext context, OrderCompleted input)
    {
        await dapr.PublishEventAsync(DaprNames.PubSub, DaprNames.Topics.Orders, input,
            OrderEventMetadata.For(input.OrderId, DaprNames.EventTypes.OrderCompleted));
        return true;
    }
}

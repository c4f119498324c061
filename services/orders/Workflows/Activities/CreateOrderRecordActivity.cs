using Dapr.Workflow;
using Orders.Infrastructure;
using Orders.Models;

namespace Orders.Workflows.Activities;

/// <summary>
/// The workflow's first step: the order record, <see cref="OrderStatus.Pending"/>, unless the API wrote it already.
/// The API starts the workflow before it writes the record, so if it stops in between (a crash, a lost connection)
/// the record still appears, and an order whose workflow runs always has one.
/// </summary>
public sealed class CreateOrderRecordActivity(OrderStore store) : WorkflowActivity<OrderWorkflowInput, bool>
{
    public override async Task<bool> RunAsync(WorkflowActivityContext context, OrderWorkflowInput input)
    {
        await store.CreateAsync(Order.PendingFrom(input), CancellationToken.None);
        return true;
    }
}

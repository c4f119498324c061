using Orders.Models;
using Orders.Workflows;

namespace Orders.Infrastructure;

/// <summary>What the API needs from the workflow runtime, small enough for tests to stand in for it.</summary>
public interface IOrderWorkflowClient
{
    /// <summary>The input of the <see cref="OrderWorkflow"/> instance whose id is the order id; <c>null</c> when there is none.</summary>
    Task<OrderWorkflowInput?> FindAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Schedules <see cref="OrderWorkflow"/> with the order id as its instance id. Throws when the runtime refuses,
    /// also when an instance with that id is running (gRPC <c>AlreadyExists</c>); beware that daprd recreates a
    /// finished one, which is why <see cref="OrderStarter"/> asks <see cref="FindAsync"/> first.
    /// </summary>
    Task ScheduleAsync(OrderWorkflowInput input, CancellationToken cancellationToken);

    /// <summary>Raises the <c>approval</c> event on the order's instance.</summary>
    Task RaiseApprovalAsync(string orderId, ApprovalDecision decision, CancellationToken cancellationToken);

    /// <summary>Why the order's instance failed or was terminated; <c>null</c> while it runs, after it completed, or when unknown.</summary>
    Task<string?> GetFailureAsync(string orderId, CancellationToken cancellationToken);
}

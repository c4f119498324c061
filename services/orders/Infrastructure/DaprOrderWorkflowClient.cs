using Dapr.Workflow;
using Orders.Models;
using Orders.Workflows;

namespace Orders.Infrastructure;

/// <summary><see cref="IOrderWorkflowClient"/> over the Dapr workflow client (gRPC to the sidecar; failures are <c>RpcException</c>).</summary>
internal sealed class DaprOrderWorkflowClient(DaprWorkflowClient workflows) : IOrderWorkflowClient
{
    public async Task<OrderWorkflowInput?> FindAsync(string orderId, CancellationToken cancellationToken)
    {
        var state = await workflows.GetWorkflowStateAsync(orderId, getInputsAndOutputs: true, cancellationToken);
        return state is { Exists: true } ? state.ReadInputAs<OrderWorkflowInput>() : null;
    }

    public Task ScheduleAsync(OrderWorkflowInput input, CancellationToken cancellationToken) =>
        workflows.ScheduleNewWorkflowAsync(nameof(OrderWorkflow), input.OrderId, input, startTime: null, cancellationToken);

    public Task RaiseApprovalAsync(string orderId, ApprovalDecision decision, CancellationToken cancellationToken) =>
        workflows.RaiseEventAsync(orderId, OrderWorkflow.ApprovalEvent, decision, cancellationToken);

    public async Task<string?> GetFailureAsync(string orderId, CancellationToken cancellationToken)
    {
        var state = await workflows.GetWorkflowStateAsync(orderId, getInputsAndOutputs: false, cancellationToken);
        return state switch
        {
            { Exists: true, RuntimeStatus: WorkflowRuntimeStatus.Failed } =>
                state.FailureDetails?.ErrorMessage ?? "The order workflow failed.",
            { Exists: true, RuntimeStatus: WorkflowRuntimeStatus.Terminated } => "The order workflow was terminated.",
            _ => null,
        };
    }
}

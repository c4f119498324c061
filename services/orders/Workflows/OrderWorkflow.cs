using Contracts;
using Dapr.Workflow;
using Orders.Models;
using Orders.Workflows.Activities;

namespace Orders.Workflows;

/// <summary>
/// One order, start to end: reserve every line, wait for approval above the threshold, charge, then record and
/// announce the outcome. A refusal (shortage, rejection, approval timeout, decline) releases every reservation made
/// so far and ends <see cref="OrderStatus.Cancelled"/> or <see cref="OrderStatus.Rejected"/> with an
/// <see cref="OrderCancelled"/> event. An activity that still fails after its retries releases the reservations,
/// marks the order <see cref="OrderStatus.Failed"/> and rethrows, so the instance itself is FAILED for operators too.
/// The body is deterministic: no clock, no I/O, only activities, the external event and values from the input.
/// </summary>
public sealed partial class OrderWorkflow : Workflow<OrderWorkflowInput, OrderOutcome>
{
    public const string ApprovalEvent = "approval";

    /// <summary>
    /// Transient failures (sidecar, network, 5xx) are retried with durable-timer backoff; business answers come back
    /// as results and never reach this policy.
    /// </summary>
    public static readonly WorkflowTaskOptions Retry = new(new WorkflowRetryPolicy(
        maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2.0,
        maxRetryInterval: TimeSpan.FromSeconds(10)));

    public override async Task<OrderOutcome> RunAsync(WorkflowContext context, OrderWorkflowInput input)
    {
        var logger = context.CreateReplaySafeLogger<OrderWorkflow>();
        var reserved = new List<string>();
        var total = 0m;
        OrderOutcome outcome;
        try
        {
            outcome = await DecideAsync(context, input, reserved, t => total = t);
        }
        catch (WorkflowTaskFailedException ex)
        {
            LogFailed(logger, input.OrderId, ex.Message);
            await ReleaseAsync(context, input.OrderId, reserved);
            await UpdateAsync(context, input.OrderId, new OrderOutcome(OrderStatus.Failed, total, $"The order could not be processed: {ex.Message}"));
            throw;
        }

        if (outcome.Status != OrderStatus.Completed)
        {
            await ReleaseAsync(context, input.OrderId, reserved);
        }

        await UpdateAsync(context, input.OrderId, outcome);
        if (outcome.Status == OrderStatus.Completed)
        {
            await context.CallActivityAsync<bool>(nameof(PublishOrderCompletedActivity),
                new OrderCompleted(input.OrderId, input.CustomerId, outcome.Total), Retry);
        }
        else
        {
            await context.CallActivityAsync<bool>(nameof(PublishOrderCancelledActivity),
                new OrderCancelled(input.OrderId, input.CustomerId, outcome.Reason ?? outcome.Status.ToString()), Retry);
        }

        LogEnded(logger, input.OrderId, outcome.Status, outcome.Reason);
        return outcome;
    }

    /// <summary>Steps 1-3; every reservation made is added to <paramref name="reserved"/> so the caller can release it.</summary>
    private static async Task<OrderOutcome> DecideAsync(
        WorkflowContext context, OrderWorkflowInput input, List<string> reserved, Action<decimal> reportTotal)
    {
        var total = 0m;
        foreach (var line in input.Lines)
        {
            var reservation = await context.CallActivityAsync<ReservationResult>(nameof(ReserveItemActivity),
                new ReserveItem(input.OrderId, line.ItemId, line.Quantity), Retry);
            if (!reservation.Reserved)
            {
                return new OrderOutcome(OrderStatus.Cancelled, total, reservation.Reason);
            }

            reserved.Add(line.ItemId);
            total += line.Quantity * reservation.UnitPrice;
            reportTotal(total);
        }

        if (total > input.ApprovalThreshold)
        {
            await UpdateAsync(context, input.OrderId, new OrderOutcome(OrderStatus.AwaitingApproval, total, null));
            try
            {
                var decision = await context.WaitForExternalEventAsync<ApprovalDecision>(ApprovalEvent, input.ApprovalTimeout);
                if (!decision.Approved)
                {
                    return new OrderOutcome(OrderStatus.Rejected, total, "approval rejected");
                }
            }
            catch (TaskCanceledException)
            {
                return new OrderOutcome(OrderStatus.Rejected, total, "approval timed out");
            }
        }

        var payment = await context.CallActivityAsync<PaymentResult>(nameof(ChargePaymentActivity),
            new PaymentRequest(input.OrderId, input.CustomerId, total), Retry);
        return payment.Approved
            ? new OrderOutcome(OrderStatus.Completed, total, null)
            : new OrderOutcome(OrderStatus.Cancelled, total, payment.Reason ?? "The payment was declined.");
    }

    private static async Task ReleaseAsync(WorkflowContext context, string orderId, List<string> reserved)
    {
        foreach (var itemId in reserved)
        {
            await context.CallActivityAsync<bool>(nameof(ReleaseReservationActivity), new ReleaseReservation(orderId, itemId), Retry);
        }
    }

    /// <summary>Custom status for the Dapr workflow API, order record for <c>GET /orders/{id}</c>.</summary>
    private static Task<bool> UpdateAsync(WorkflowContext context, string orderId, OrderOutcome outcome)
    {
        context.SetCustomStatus(outcome.Status);
        return context.CallActivityAsync<bool>(nameof(UpdateOrderStatusActivity),
            new OrderStatusUpdate(orderId, outcome.Status, outcome.Total, outcome.Reason), Retry);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} ended {Status}: {Reason}")]
    private static partial void LogEnded(ILogger logger, string orderId, OrderStatus status, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId} failed after retries: {Error}")]
    private static partial void LogFailed(ILogger logger, string orderId, string error);
}

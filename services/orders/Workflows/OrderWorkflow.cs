using Contracts;
using Dapr.Workflow;
using Orders.Models;
using Orders.Workflows.Activities;

namespace Orders.Workflows;

/// <summary>
/// One order, start to end: record it, reserve every line, wait for approval above the threshold, charge, then record
/// and announce the outcome. Every way an order can end other than <see cref="OrderStatus.Completed"/> releases every
/// line's reservation first: a refusal (shortage, unknown item, a total too large, rejection, approval timeout,
/// decline) ends <see cref="OrderStatus.Cancelled"/> or <see cref="OrderStatus.Rejected"/> with an
/// <see cref="OrderCancelled"/> event; an exception (an activity that still fails after its retries, or anything
/// thrown in this body) marks the order <see cref="OrderStatus.Failed"/> and rethrows, so the instance is FAILED for
/// operators too. Release is idempotent in catalog, so every line is released, not only those that answered: a
/// reservation whose answer was lost (a timeout) may still have been applied.
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

    /// <summary>
    /// A charge outlives the payments circuit breaker's 30 s open window (components/resiliency.yaml): 10 attempts, 1 s
    /// doubling to 10 s, about 65 s in all, trying again within 10 s of the breaker letting calls through. A payments
    /// app that is still starting when orders resumes its workflows trips the breaker, and a shorter policy would fail
    /// every order in flight. Payments is idempotent per order id, so a charge tried again is charged once.
    /// </summary>
    public static readonly WorkflowTaskOptions PaymentRetry = new(new WorkflowRetryPolicy(
        maxNumberOfAttempts: 10, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2.0,
        maxRetryInterval: TimeSpan.FromSeconds(10)));

    /// <summary>
    /// Compensation outlives a catalog outage of several minutes: 20 attempts, 1 s doubling to 1 minute, about 14 minutes
    /// in all, so stock held for an order that ended is given back once catalog answers again.
    /// </summary>
    public static readonly WorkflowTaskOptions CompensationRetry = new(new WorkflowRetryPolicy(
        maxNumberOfAttempts: 20, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2.0,
        maxRetryInterval: TimeSpan.FromMinutes(1)));

    public override async Task<OrderOutcome> RunAsync(WorkflowContext context, OrderWorkflowInput input)
    {
        var logger = context.CreateReplaySafeLogger<OrderWorkflow>();
        var total = 0m;
        OrderOutcome outcome;
        try
        {
            await context.CallActivityAsync<bool>(nameof(CreateOrderRecordActivity), input, Retry);
            outcome = await DecideAsync(context, input, t => total = t);
            if (outcome.Status != OrderStatus.Completed)
            {
                await ReleaseAllAsync(context, input);
            }
        }
        catch (Exception ex)
        {
            LogFailed(logger, input.OrderId, ex.Message);
            var reason = $"The order could not be processed: {ex.Message}";
            try
            {
                await ReleaseAllAsync(context, input);
            }
            catch (Exception releaseFailure)
            {
                // Catalog stayed unreachable past the compensation policy: say so on the order, for an operator to release.
                LogReleaseFailed(logger, input.OrderId, releaseFailure.Message);
                reason += $" Releasing its reservations failed too: {releaseFailure.Message}";
            }

            await UpdateAsync(context, input.OrderId, new OrderOutcome(OrderStatus.Failed, total, reason));
            throw;
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

    /// <summary>Steps 1-3: reserve, approve, charge; reports the running total so a failure can record it.</summary>
    private static async Task<OrderOutcome> DecideAsync(WorkflowContext context, OrderWorkflowInput input, Action<decimal> reportTotal)
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

            if (!OrderTotal.TryAdd(total, line.Quantity, reservation.UnitPrice, out total))
            {
                return new OrderOutcome(OrderStatus.Cancelled, 0m,
                    $"The order total cannot be computed: {line.Quantity} x {reservation.UnitPrice} for item '{line.ItemId}' is beyond {OrderTotal.Max}.");
            }

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
            new PaymentRequest(input.OrderId, input.CustomerId, total), PaymentRetry);
        return payment.Approved
            ? new OrderOutcome(OrderStatus.Completed, total, null)
            : new OrderOutcome(OrderStatus.Cancelled, total, payment.Reason ?? "The payment was declined.");
    }

    /// <summary>Releases every line at once, each with the long compensation policy; fails only after every release was tried.</summary>
    private static Task ReleaseAllAsync(WorkflowContext context, OrderWorkflowInput input) =>
        Task.WhenAll(input.Lines.Select(line => context.CallActivityAsync<bool>(
            nameof(ReleaseReservationActivity), new ReleaseReservation(input.OrderId, line.ItemId), CompensationRetry)));

    /// <summary>Custom status for the Dapr workflow API, order record for <c>GET /orders/{id}</c>.</summary>
    private static Task<bool> UpdateAsync(WorkflowContext context, string orderId, OrderOutcome outcome)
    {
        context.SetCustomStatus(outcome.Status);
        return context.CallActivityAsync<bool>(nameof(UpdateOrderStatusActivity),
            new OrderStatusUpdate(orderId, outcome.Status, outcome.Total, outcome.Reason), Retry);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} ended {Status}: {Reason}")]
    private static partial void LogEnded(ILogger logger, string orderId, OrderStatus status, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string orderId, string error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Order {OrderId}: releasing its reservations failed after every retry: {Error}")]
    private static partial void LogReleaseFailed(ILogger logger, string orderId, string error);
}

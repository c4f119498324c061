using Contracts;
using Dapr.Workflow;
using Orders.Models;
using Orders.Workflows;
using Orders.Workflows.Activities;

namespace Orders.Tests.Workflows;

public sealed class OrderWorkflowTests
{
    private static readonly TimeSpan ApprovalTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Item prices in catalog for these tests; each test builds its own order id.</summary>
    private static readonly Dictionary<string, decimal> Prices = new()
    {
        ["keyboard"] = 40m, ["mouse"] = 10m, ["monitor"] = 300m, ["laptop"] = 900m,
    };

    private static OrderWorkflowInput Input(params OrderLine[] lines) =>
        new($"order-{Guid.NewGuid():N}", "customer-7", lines, ApprovalThreshold: 500m, ApprovalTimeout);

    /// <summary>A context where catalog reserves everything in stock, payments approves and the bookkeeping activities succeed.</summary>
    private static FakeWorkflowContext HappyContext(OrderWorkflowInput input) =>
        new FakeWorkflowContext(input.OrderId)
            .OnActivity<OrderWorkflowInput, bool>(nameof(CreateOrderRecordActivity), _ => true)
            .OnActivity<ReserveItem, ReservationResult>(nameof(ReserveItemActivity), r => new ReservationResult(true, Prices[r.ItemId], null))
            .OnActivity<ReleaseReservation, bool>(nameof(ReleaseReservationActivity), _ => true)
            .OnActivity<PaymentRequest, PaymentResult>(nameof(ChargePaymentActivity), _ => new PaymentResult(true, null))
            .OnActivity<OrderStatusUpdate, bool>(nameof(UpdateOrderStatusActivity), _ => true)
            .OnActivity<OrderCompleted, bool>(nameof(PublishOrderCompletedActivity), _ => true)
            .OnActivity<OrderCancelled, bool>(nameof(PublishOrderCancelledActivity), _ => true);

    private static Task<OrderOutcome> RunAsync(FakeWorkflowContext context, OrderWorkflowInput input) =>
        new OrderWorkflow().RunAsync(context, input);

    private static WorkflowTaskFailedException TaskFailed(string activity) =>
        new($"Task '{activity}' failed after 3 attempts.", new WorkflowTaskFailureDetails("System.Net.Http.HttpRequestException", "503 Service Unavailable", null));

    [Fact]
    public async Task Run_WhenEverythingSucceeds_ChargesTheTotalCompletesAndPublishesOrderCompleted()
    {
        var input = Input(new OrderLine("keyboard", 2), new OrderLine("mouse", 3));
        var context = HappyContext(input);

        var outcome = await RunAsync(context, input);

        Assert.Equal(new OrderOutcome(OrderStatus.Completed, 110m, null), outcome);
        Assert.Equal(["keyboard", "mouse"], context.InputsOf<ReserveItem>(nameof(ReserveItemActivity)).Select(r => r.ItemId));
        Assert.Equal(new PaymentRequest(input.OrderId, "customer-7", 110m), Assert.Single(context.InputsOf<PaymentRequest>(nameof(ChargePaymentActivity))));
        Assert.Equal(new OrderStatusUpdate(input.OrderId, OrderStatus.Completed, 110m, null),
            Assert.Single(context.InputsOf<OrderStatusUpdate>(nameof(UpdateOrderStatusActivity))));
        Assert.Equal(new OrderCompleted(input.OrderId, "customer-7", 110m),
            Assert.Single(context.InputsOf<OrderCompleted>(nameof(PublishOrderCompletedActivity))));
        Assert.Empty(context.InputsOf<ReleaseReservation>(nameof(ReleaseReservationActivity)));
        Assert.Empty(context.EventWaits);
    }

    [Fact]
    public async Task Run_CallsEveryActivityWithTheRetryPolicy_TheChargeWithOneThatOutlivesTheBreaker_AndCompensationAnOutageOfMinutes()
    {
        var input = Input(new OrderLine("mouse", 1));
        var context = HappyContext(input).OnActivity<PaymentRequest, PaymentResult>(nameof(ChargePaymentActivity), _ => new PaymentResult(false, "no"));

        await RunAsync(context, input);

        Assert.Equal(nameof(CreateOrderRecordActivity), context.Calls[0].Name);
        Assert.All(context.Calls.Where(c => c.Name is not (nameof(ReleaseReservationActivity) or nameof(ChargePaymentActivity))), call =>
        {
            Assert.NotNull(call.Options?.RetryPolicy);
            Assert.Equal(3, call.Options.RetryPolicy.MaxNumberOfAttempts);
        });
        // The payments breaker stays open 30 s (components/resiliency.yaml): the charge must still be trying after it.
        var charge = Assert.Single(context.Calls, c => c.Name == nameof(ChargePaymentActivity)).Options!.RetryPolicy!;
        Assert.True(Horizon(charge) >= TimeSpan.FromSeconds(60), $"the charge gives up after {Horizon(charge)}");
        var release = Assert.Single(context.Calls, c => c.Name == nameof(ReleaseReservationActivity)).Options!.RetryPolicy!;
        Assert.True(Horizon(release) >= TimeSpan.FromMinutes(10), $"compensation gives up after {Horizon(release)}");
    }

    /// <summary>How long a retry policy keeps trying: the sum of its waits between attempts.</summary>
    private static TimeSpan Horizon(Dapr.Workflow.WorkflowRetryPolicy policy)
    {
        var horizon = TimeSpan.Zero;
        for (var retry = 0; retry < policy.MaxNumberOfAttempts - 1; retry++)
        {
            var wait = policy.FirstRetryInterval * Math.Pow(policy.BackoffCoefficient, retry);
            horizon += wait < policy.MaxRetryInterval!.Value ? wait : policy.MaxRetryInterval.Value;
        }

        return horizon;
    }

    [Fact]
    public async Task Run_WhenStockIsShort_ReleasesEveryLineCancelsAndNeverCharges()
    {
        var input = Input(new OrderLine("keyboard", 1), new OrderLine("mouse", 1), new OrderLine("monitor", 99));
        var context = HappyContext(input).OnActivity<ReserveItem, ReservationResult>(nameof(ReserveItemActivity), r =>
            r.ItemId == "mouse" ? new ReservationResult(false, 0m, "Only 0 mouse left.") : new ReservationResult(true, Prices[r.ItemId], null));

        var outcome = await RunAsync(context, input);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Equal("Only 0 mouse left.", outcome.Reason);
        Assert.Equal(["keyboard", "mouse"], context.InputsOf<ReserveItem>(nameof(ReserveItemActivity)).Select(r => r.ItemId));
        Assert.Equal(["keyboard", "mouse", "monitor"], context.InputsOf<ReleaseReservation>(nameof(ReleaseReservationActivity)).Select(r => r.ItemId));
        Assert.Empty(context.InputsOf<PaymentRequest>(nameof(ChargePaymentActivity)));
        Assert.Equal(OrderStatus.Cancelled, context.InputsOf<OrderStatusUpdate>(nameof(UpdateOrderStatusActivity)).Last().Status);
        Assert.Equal(new OrderCancelled(input.OrderId, "customer-7", "Only 0 mouse left."),
            Assert.Single(context.InputsOf<OrderCancelled>(nameof(PublishOrderCancelledActivity))));
        Assert.Empty(context.InputsOf<OrderCompleted>(nameof(PublishOrderCompletedActivity)));
    }

    [Fact]
    public async Task Run_WhenPaymentIsDeclined_ReleasesEveryReservationAndCancelsWithTheDeclineReason()
    {
        var input = Input(new OrderLine("keyboard", 1), new OrderLine("mouse", 2));
        var context = HappyContext(input).OnActivity<PaymentRequest, PaymentResult>(
            nameof(ChargePaymentActivity), _ => new PaymentResult(false, "Card expired."));

        var outcome = await RunAsync(context, input);

        Assert.Equal(new OrderOutcome(OrderStatus.Cancelled, 60m, "Card expired."), outcome);
        Assert.Equal(
            [new ReleaseReservation(input.OrderId, "keyboard"), new ReleaseReservation(input.OrderId, "mouse")],
            context.InputsOf<ReleaseReservation>(nameof(ReleaseReservationActivity)));
        Assert.Equal(new OrderCancelled(input.OrderId, "customer-7", "Card expired."),
            Assert.Single(context.InputsOf<OrderCancelled>(nameof(PublishOrderCancelledActivity))));
    }

    [Fact]
    public async Task Run_AboveThresholdAndApproved_MarksAwaitingApprovalWaitsThenCompletes()
    {
        var input = Input(new OrderLine("laptop", 1));
        var context = HappyContext(input).RaiseEvent(OrderWorkflow.ApprovalEvent, new ApprovalDecision(true));

        var outcome = await RunAsync(context, input);

        Assert.Equal(new OrderOutcome(OrderStatus.Completed, 900m, null), outcome);
        Assert.Equal([(OrderWorkflow.ApprovalEvent, ApprovalTimeout)], context.EventWaits);
        Assert.Equal(
            [OrderStatus.AwaitingApproval, OrderStatus.Completed],
            context.InputsOf<OrderStatusUpdate>(nameof(UpdateOrderStatusActivity)).Select(u => u.Status));
        Assert.Contains(OrderStatus.AwaitingApproval, context.CustomStatuses);
        Assert.Single(context.InputsOf<PaymentRequest>(nameof(ChargePaymentActivity)));
    }

    [Fact]
    public async Task Run_AtExactlyTheThreshold_DoesNotWaitForApproval()
    {
        var input = Input(new OrderLine("keyboard", 5), new OrderLine("monitor", 1));
        var context = HappyContext(input);

        var outcome = await RunAsync(context, input);

        Assert.Equal(new OrderOutcome(OrderStatus.Completed, 500m, null), outcome);
        Assert.Empty(context.EventWaits);
    }

    [Fact]
    public async Task Run_WhenApprovalIsRejected_ReleasesReservationsAndRejectsWithoutCharging()
    {
        var input = Input(new OrderLine("laptop", 1), new OrderLine("mouse", 1));
        var context = HappyContext(input).RaiseEvent(OrderWorkflow.ApprovalEvent, new ApprovalDecision(false));

        var outcome = await RunAsync(context, input);

        Assert.Equal(new OrderOutcome(OrderStatus.Rejected, 910m, "approval rejected"), outcome);
        Assert.Equal(2, context.InputsOf<ReleaseReservation>(nameof(ReleaseReservationActivity)).Count());
        Assert.Empty(context.InputsOf<PaymentRequest>(nameof(ChargePaymentActivity)));
        Assert.Equal(new OrderCancelled(input.OrderId, "customer-7", "approval rejected"),
            Assert.Single(context.InputsOf<OrderCancelled>(nameof(PublishOrderCancelledActivity))));
    }

    [Fact]
    public async Task Run_WhenApprovalTimesOut_ReleasesReservationsAndRejectsAsTimedOut()
    {
        var input = Input(new OrderLine("laptop", 1));
        var context = HappyContext(input).TimeOutEvent(OrderWorkflow.ApprovalEvent);

        var outcome = await RunAsync(context, input);

        Assert.Equal(new OrderOutcome(OrderStatus.Rejected, 900m, "approval timed out"), outcome);
        Assert.Equal([new ReleaseReservation(input.OrderId, "laptop")], context.InputsOf<ReleaseReservation>(nameof(ReleaseReservationActivity)));
        Assert.Empty(context.InputsOf<PaymentRequest>(nameof(ChargePaymentActivity)));
        Assert.Equal(OrderStatus.Rejected, context.InputsOf<OrderStatusUpdate>(nameof(UpdateOrderStatusActivity)).Last().Status);
    }

    [Fact]
    public async Task Run_WhenAnActivityKeepsFailing_ReleasesReservationsMarksFailedAndRethrows()
    {
        var input = Input(new OrderLine("keyboard", 1), new OrderLine("mouse", 1));
        var context = HappyContext(input).OnActivity<PaymentRequest, PaymentResult>(
            nameof(ChargePaymentActivity), _ => throw TaskFailed(nameof(ChargePaymentActivity)));

        await Assert.ThrowsAsync<WorkflowTaskFailedException>(() => RunAsync(context, input));

        Assert.Equal(2, context.InputsOf<ReleaseReservation>(nameof(ReleaseReservationActivity)).Count());
        var last = context.InputsOf<OrderStatusUpdate>(nameof(UpdateOrderStatusActivity)).Last();
        Assert.Equal(OrderStatus.Failed, last.Status);
        Assert.Equal(50m, last.Total);
        Assert.Contains(nameof(ChargePaymentActivity), last.Reason);
        Assert.Empty(context.InputsOf<OrderCompleted>(nameof(PublishOrderCompletedActivity)));
        Assert.Empty(context.InputsOf<OrderCancelled>(nameof(PublishOrderCancelledActivity)));
    }

    [Fact]
    public async Task Run_WhenAReservationKeepsFailing_ReleasesEveryLine_SinceATimedOutReserveMayHaveBeenApplied()
    {
        var input = Input(new OrderLine("keyboard", 1), new OrderLine("mouse", 1));
        var context = HappyContext(input).OnActivity<ReserveItem, ReservationResult>(nameof(ReserveItemActivity), r =>
            r.ItemId == "mouse" ? throw TaskFailed(nameof(ReserveItemActivity)) : new ReservationResult(true, Prices[r.ItemId], null));

        await Assert.ThrowsAsync<WorkflowTaskFailedException>(() => RunAsync(context, input));

        Assert.Equal(["keyboard", "mouse"], context.InputsOf<ReleaseReservation>(nameof(ReleaseReservationActivity)).Select(r => r.ItemId));
        Assert.Equal(OrderStatus.Failed, context.InputsOf<OrderStatusUpdate>(nameof(UpdateOrderStatusActivity)).Last().Status);
    }

    [Fact]
    public async Task Run_WhenTheTotalIsBeyondRange_CancelsAndReleasesEveryLine_InsteadOfFailingWithStockHeld()
    {
        var input = Input(new OrderLine("gold", 2), new OrderLine("mouse", 1));
        var context = HappyContext(input).OnActivity<ReserveItem, ReservationResult>(nameof(ReserveItemActivity), r =>
            new ReservationResult(true, r.ItemId == "gold" ? decimal.MaxValue : 10m, null));

        var outcome = await RunAsync(context, input);

        Assert.Equal(OrderStatus.Cancelled, outcome.Status);
        Assert.Contains("total", outcome.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["gold"], context.InputsOf<ReserveItem>(nameof(ReserveItemActivity)).Select(r => r.ItemId));
        Assert.Equal(["gold", "mouse"], context.InputsOf<ReleaseReservation>(nameof(ReleaseReservationActivity)).Select(r => r.ItemId));
        Assert.Empty(context.InputsOf<PaymentRequest>(nameof(ChargePaymentActivity)));
        Assert.Single(context.InputsOf<OrderCancelled>(nameof(PublishOrderCancelledActivity)));
    }

    [Fact]
    public async Task Run_WhenTheBodyThrows_ReleasesEveryLineMarksFailedAndRethrows()
    {
        var input = Input(new OrderLine("keyboard", 1), new OrderLine("mouse", 1));
        var context = HappyContext(input).OnActivity<ReserveItem, ReservationResult>(nameof(ReserveItemActivity), r =>
            r.ItemId == "mouse" ? throw new InvalidOperationException("a bug in the workflow") : new ReservationResult(true, Prices[r.ItemId], null));

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(context, input));

        Assert.Equal(["keyboard", "mouse"], context.InputsOf<ReleaseReservation>(nameof(ReleaseReservationActivity)).Select(r => r.ItemId));
        Assert.Equal(OrderStatus.Failed, context.InputsOf<OrderStatusUpdate>(nameof(UpdateOrderStatusActivity)).Last().Status);
    }

    [Fact]
    public async Task Run_WhenOneReleaseKeepsFailing_StillReleasesTheOtherLines()
    {
        var input = Input(new OrderLine("keyboard", 1), new OrderLine("mouse", 1), new OrderLine("monitor", 1));
        var context = HappyContext(input)
            .OnActivity<PaymentRequest, PaymentResult>(nameof(ChargePaymentActivity), _ => new PaymentResult(false, "Card expired."))
            .OnActivity<ReleaseReservation, bool>(nameof(ReleaseReservationActivity), r =>
                r.ItemId == "keyboard" ? throw TaskFailed(nameof(ReleaseReservationActivity)) : true);

        await Assert.ThrowsAsync<WorkflowTaskFailedException>(() => RunAsync(context, input));

        Assert.Equal(["keyboard", "mouse", "monitor"], context.InputsOf<ReleaseReservation>(nameof(ReleaseReservationActivity)).Take(3).Select(r => r.ItemId));
        Assert.Equal(OrderStatus.Failed, context.InputsOf<OrderStatusUpdate>(nameof(UpdateOrderStatusActivity)).Last().Status);
    }
}

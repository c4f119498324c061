using Contracts;
using Dapr.Workflow;
using Orders.Infrastructure;

namespace Orders.Workflows.Activities;

/// <summary>
/// Charges the order through payments (Dapr service invocation). Payments answers every processed charge 200, with
/// status <c>Approved</c> or <c>Declined</c>: a decline is an answer and is not retried. Any other answer throws for the
/// workflow's retry policy. Payments is idempotent per order id, so a retried charge does not charge twice.
/// </summary>
public sealed partial class ChargePaymentActivity(AppClients apps, ILogger<ChargePaymentActivity> logger)
    : WorkflowActivity<PaymentRequest, PaymentResult>
{
    private const string Declined = "Declined";
    private const string DeclinedFallback = "The payment was declined.";

    public override async Task<PaymentResult> RunAsync(WorkflowActivityContext context, PaymentRequest input)
    {
        var payments = apps.For(DaprNames.AppIds.Payments);
        using var response = await payments.PostAsJsonAsync("payments", input);
        response.EnsureSuccessStatusCode();
        var payment = await response.Content.ReadFromJsonAsync<Payment>()
            ?? throw new InvalidOperationException($"Payments answered an empty payment for order '{input.OrderId}'.");
        if (!string.Equals(payment.Status, Declined, StringComparison.OrdinalIgnoreCase))
        {
            return new PaymentResult(true, null);
        }

        var reason = payment.Reason ?? DeclinedFallback;
        LogDeclined(logger, input.OrderId, input.Amount, reason);
        return new PaymentResult(false, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: payment of {Amount} declined: {Reason}")]
    private static partial void LogDeclined(ILogger logger, string orderId, decimal amount, string reason);
}

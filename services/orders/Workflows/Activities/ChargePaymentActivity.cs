using System.Net;
using Contracts;
using Dapr.Workflow;
using Orders.Infrastructure;

namespace Orders.Workflows.Activities;

/// <summary>
/// Charges the order through payments (Dapr service invocation). A decline (422, or a payment with status
/// <c>Declined</c>) is an answer and is not retried; other failures throw for the workflow's retry policy.
/// Payments is idempotent per order id, so a retried charge does not charge twice.
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

        if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            return Decline(input, await ProblemReason.ReadAsync(response, DeclinedFallback, CancellationToken.None));
        }

        response.EnsureSuccessStatusCode();
        var payment = await response.Content.ReadFromJsonAsync<Payment>()
            ?? throw new InvalidOperationException($"Payments answered an empty payment for order '{input.OrderId}'.");
        return string.Equals(payment.Status, Declined, StringComparison.OrdinalIgnoreCase)
            ? Decline(input, payment.Reason ?? DeclinedFallback)
            : new PaymentResult(true, null);
    }

    private PaymentResult Decline(PaymentRequest input, string reason)
    {
        LogDeclined(logger, input.OrderId, input.Amount, reason);
        return new PaymentResult(false, reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: payment of {Amount} declined: {Reason}")]
    private static partial void LogDeclined(ILogger logger, string orderId, decimal amount, string reason);
}

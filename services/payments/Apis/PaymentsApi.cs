using Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Infrastructure;
using Payments.Models;
using ServiceDefaults;

namespace Payments.Apis;

/// <summary>Payments: charge an order (once) and read the outcome.</summary>
public static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/payments").WithTags("Payments");

        payments.MapPost("/", Charge).WithValidation<ChargeCommand>()
            .WithName("ChargePayment")
            .WithSummary("Charges an order: 200 with status Approved or Declined; repeating it answers the recorded outcome.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        payments.MapGet("/{orderId}", GetPayment).WithValidation<PaymentRoute>()
            .WithName("GetPayment").WithSummary("Reads the payment outcome of an order.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    /// <summary>
    /// A decline is an outcome, answered 200 with status <c>Declined</c> like an approval: under daprd every non-2xx
    /// answer counts against the payments circuit breaker whatever the retry policy matches, so a 4xx decline would let
    /// five declined customers open the breaker for everyone. A repeat that asks for another customer or amount than
    /// the charge already made for the order is a 409: the order id names that charge.
    /// </summary>
    internal static async Task<Results<Ok<Payment>, ProblemHttpResult>> Charge(
        [AsParameters] ChargeCommand command, PaymentProcessor processor, PaymentMetrics metrics, CancellationToken cancellationToken)
    {
        var outcome = await processor.ChargeAsync(command.Body, cancellationToken);
        if (outcome is { Decided: true, Payment: { } decided })
        {
            metrics.Decided(decided);
        }

        return outcome.Payment is { } payment
            ? TypedResults.Ok(payment)
            : TypedResults.Problem(
                title: "Payment differs from the one made for this order",
                detail: $"This request asks {command.Body.Amount} for customer '{command.Body.CustomerId}', but {outcome.Conflict}. " +
                    "A charge is made once per order; repeat it with the same customer and amount.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["orderId"] = command.Body.OrderId });
    }

    internal static async Task<Results<Ok<Payment>, ProblemHttpResult>> GetPayment(
        [AsParameters] PaymentRoute route, PaymentStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(route.OrderId, cancellationToken) is { } payment
            ? TypedResults.Ok(payment)
            : TypedResults.Problem(
                title: "Payment not found",
                detail: $"No payment has been made for order '{route.OrderId}'. Charge it with POST /payments.",
                statusCode: StatusCodes.Status404NotFound,
                extensions: new Dictionary<string, object?> { ["orderId"] = route.OrderId });
}

using Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Domain;
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
            .WithSummary("Charges an order: 200 with status Approved or Declined; repeating it answers the recorded outcome.");
        payments.MapGet("/{orderId}", GetPayment).WithValidation<PaymentRoute>()
            .WithName("GetPayment").WithSummary("Reads the payment outcome of an order.");

        return app;
    }

    /// <summary>
    /// A decline is an outcome, answered 200 with status <c>Declined</c> like an approval: under daprd every non-2xx
    /// answer counts against the payments circuit breaker whatever the retry policy matches, so a 4xx decline would let
    /// five declined customers open the breaker for everyone.
    /// </summary>
    internal static async Task<Ok<Payment>> Charge(
        [AsParameters] ChargeCommand command, PaymentProcessor processor, CancellationToken cancellationToken)
    {
        var (payment, _) = await processor.ChargeAsync(command.Body, cancellationToken);
        return TypedResults.Ok(payment);
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

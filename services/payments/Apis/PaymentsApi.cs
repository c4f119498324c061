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
            .WithName("ChargePayment").WithSummary("Charges an order; repeating it answers the recorded outcome.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        payments.MapGet("/{orderId}", GetPayment).WithValidation<PaymentRoute>()
            .WithName("GetPayment").WithSummary("Reads the payment outcome of an order.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    internal static async Task<Results<Ok<Payment>, ProblemHttpResult>> Charge(
        [AsParameters] ChargeCommand command, PaymentProcessor processor, PaymentMetrics metrics, CancellationToken cancellationToken)
    {
        var (payment, replayed) = await processor.ChargeAsync(command.Body, cancellationToken);
        if (!replayed)
        {
            metrics.Decided(payment);
        }

        return payment.IsApproved() ? TypedResults.Ok(payment) : Declined(payment);
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

    private static ProblemHttpResult Declined(Payment payment) => TypedResults.Problem(
        title: "Payment declined",
        detail: $"{payment.Reason} The order cannot be paid as it is; lower the amount or cancel the order.",
        statusCode: StatusCodes.Status422UnprocessableEntity,
        extensions: new Dictionary<string, object?>
        {
            ["orderId"] = payment.OrderId, ["reason"] = payment.Reason, ["amount"] = payment.Amount,
        });
}

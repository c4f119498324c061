using Contracts;

namespace Payments.Domain;

/// <summary>The simulated processor's rule: approve up to the configured maximum, decline above it.</summary>
public static class PaymentDecision
{
    public static Payment Decide(PaymentRequest request, decimal maxAmount, DateTimeOffset now) =>
        request.Amount > maxAmount
            ? new Payment(request.OrderId, request.CustomerId, request.Amount, PaymentStatus.Declined,
                $"The amount {request.Amount} exceeds the limit of {maxAmount} per payment.", now)
            : new Payment(request.OrderId, request.CustomerId, request.Amount, PaymentStatus.Approved, null, now);

    public static bool IsApproved(this Payment payment) => payment.Status == PaymentStatus.Approved;

    /// <summary>Whether <paramref name="request"/> repeats the charge recorded as <paramref name="payment"/> (same customer and amount).</summary>
    public static bool IsRepeatOf(this PaymentRequest request, Payment payment) =>
        SameCharge(request, payment.OrderId, payment.CustomerId, payment.Amount);

    /// <summary>Same order, customer and amount (80 and 80.00 are the same amount).</summary>
    public static bool SameCharge(PaymentRequest request, string orderId, string customerId, decimal amount) =>
        request.OrderId == orderId && request.CustomerId == customerId && request.Amount == amount;
}

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
}

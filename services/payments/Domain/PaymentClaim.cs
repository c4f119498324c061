using Contracts;

namespace Payments.Domain;

/// <summary>
/// The mark a charge leaves before it processes (key <c>payment-claim:{orderId}</c>, first-write): of concurrent charges
/// for one order only the one that wrote it processes; the others wait for its outcome. A claim older than the
/// processing time plus a margin belongs to a charge that died (a crash) and may be taken over.
/// </summary>
public sealed record PaymentClaim(string OrderId, string CustomerId, decimal Amount, DateTimeOffset ClaimedAt)
{
    public static PaymentClaim For(PaymentRequest request, DateTimeOffset now) =>
        new(request.OrderId, request.CustomerId, request.Amount, now);

    /// <summary>Whether <paramref name="request"/> asks for what this claim was made for.</summary>
    public bool Matches(PaymentRequest request) => PaymentDecision.SameCharge(request, OrderId, CustomerId, Amount);
}

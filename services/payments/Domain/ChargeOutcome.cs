using Contracts;

namespace Payments.Domain;

/// <summary>
/// What a charge comes to: the order's payment, or why this request conflicts with the charge already made.
/// <see cref="Decided"/> is true only for the call that recorded the payment (a repeat answers a recorded one).
/// </summary>
public sealed record ChargeOutcome(Payment? Payment, string? Conflict, bool Decided = false);

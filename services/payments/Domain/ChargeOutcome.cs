using Contracts;

namespace Payments.Domain;

/// <summary>What a charge comes to: the order's payment, or why this request conflicts with the charge already made.</summary>
public sealed record ChargeOutcome(Payment? Payment, string? Conflict);

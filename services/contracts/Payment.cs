namespace Contracts;

/// <summary>The outcome of a payment; <paramref name="Status"/> is <c>Approved</c> or <c>Declined</c> (then <paramref name="Reason"/> says why).</summary>
public sealed record Payment(string OrderId, string CustomerId, decimal Amount, string Status, string? Reason, DateTimeOffset ProcessedAt);

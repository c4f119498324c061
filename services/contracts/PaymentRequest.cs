namespace Contracts;

/// <summary>Body of <c>POST payments/payments</c>: charge <paramref name="Amount"/> for an order.</summary>
public sealed record PaymentRequest(string OrderId, string CustomerId, decimal Amount);

namespace Contracts;

/// <summary>Published by orders on topic <c>orders</c> (type <c>order.cancelled</c>) after its reservations were released.</summary>
public sealed record OrderCancelled(string OrderId, string CustomerId, string Reason);

namespace Contracts;

/// <summary>Published by orders on topic <c>orders</c> (type <c>order.completed</c>) once an order is paid.</summary>
public sealed record OrderCompleted(string OrderId, string CustomerId, decimal Total);

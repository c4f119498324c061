namespace Orders.Models;

/// <summary>Body of the 202 answer to <c>POST /orders</c>.</summary>
public sealed record OrderAccepted(string OrderId, OrderStatus Status);

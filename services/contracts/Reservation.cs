namespace Contracts;

/// <summary>A reservation of stock held by an order; catalog answers it for a new or repeated reservation.</summary>
public sealed record Reservation(string ItemId, string OrderId, int Quantity, decimal UnitPrice);

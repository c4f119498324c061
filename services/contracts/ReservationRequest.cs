namespace Contracts;

/// <summary>Body of <c>POST catalog/items/{id}/reservations</c>: reserve <paramref name="Quantity"/> units for an order.</summary>
public sealed record ReservationRequest(string OrderId, int Quantity);

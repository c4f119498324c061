using System.Collections.Immutable;

namespace Catalog.Domain;

/// <summary>
/// An item as stored: its public fields plus the reservations held on it (orderId → quantity). Keeping reservations in
/// the same record lets one ETag-guarded write both take stock and record who took it, so stock is never oversold.
/// <see cref="Stock"/> is what is still available.
/// </summary>
public sealed record CatalogItem(string Id, string Name, decimal Price, int Stock, ImmutableDictionary<string, int> Reservations)
{
    public static CatalogItem Create(string id, string name, decimal price, int stock) =>
        new(id, name, price, stock, ImmutableDictionary<string, int>.Empty);

    /// <summary>Replaces the public fields; reservations already held stay held.</summary>
    public CatalogItem Replace(string name, decimal price, int stock) =>
        this with { Name = name, Price = price, Stock = stock };

    /// <summary>Takes <paramref name="quantity"/> units for an order, once per order.</summary>
    public ReserveOutcome Reserve(string orderId, int quantity, out CatalogItem updated)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        updated = this;
        if (Reservations.ContainsKey(orderId))
        {
            return ReserveOutcome.AlreadyReserved;
        }

        if (quantity > Stock)
        {
            return ReserveOutcome.InsufficientStock;
        }

        updated = this with { Stock = Stock - quantity, Reservations = Reservations.Add(orderId, quantity) };
        return ReserveOutcome.Reserved;
    }

    /// <summary>Gives an order's units back; <c>false</c> (and no change) when the order holds none.</summary>
    public bool Release(string orderId, out CatalogItem updated)
    {
        updated = this;
        if (!Reservations.TryGetValue(orderId, out var quantity))
        {
            return false;
        }

        updated = this with { Stock = Stock + quantity, Reservations = Reservations.Remove(orderId) };
        return true;
    }

    public Contracts.Reservation ReservationOf(string orderId) => new(Id, orderId, Reservations[orderId], Price);
}

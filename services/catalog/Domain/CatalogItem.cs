using System.Collections.Immutable;

namespace Catalog.Domain;

/// <summary>
/// An item as stored: its public fields, the reservations held on it (orderId → quantity) and its life. Keeping
/// reservations in the same record lets one ETag-guarded write both take stock and record who took it, so stock is
/// never oversold. <see cref="Stock"/> is what is still available.
/// <para>
/// An item's key is never deleted once written: a deleted item is a tombstone (<see cref="Deleted"/>). On
/// <c>state.redis</c> a write with a stale ETag recreates a missing key, so a reservation that read the item before a
/// delete would bring it back; a tombstone has a new ETag, so that write fails instead. Each life of an id has an
/// <see cref="Incarnation"/> (1, 2, ... ; 0 for the placeholder that only makes the key exist), which tells the
/// index which of its entries are dead.
/// </para>
/// </summary>
public sealed record CatalogItem(
    string Id, string Name, decimal Price, int Stock, ImmutableDictionary<string, int> Reservations, long Incarnation, bool Deleted)
{
    /// <summary>Whether the item exists for callers (it is not a tombstone or placeholder).</summary>
    public bool IsLive => !Deleted;

    /// <summary>The tombstone that makes a missing key exist before its first life.</summary>
    public static CatalogItem Placeholder(string id) => new(id, string.Empty, 0m, 0, ImmutableDictionary<string, int>.Empty, 0, Deleted: true);

    /// <summary>The next life of this id (the record read must be a tombstone or placeholder).</summary>
    public CatalogItem Revive(string name, decimal price, int stock) =>
        new(Id, name, price, stock, ImmutableDictionary<string, int>.Empty, checked(Incarnation + 1), Deleted: false);

    /// <summary>Replaces the public fields; reservations already held stay held.</summary>
    public CatalogItem Replace(string name, decimal price, int stock) =>
        this with { Name = name, Price = price, Stock = stock };

    /// <summary>This life ended: no fields, no reservations, same incarnation.</summary>
    public CatalogItem Tombstone() =>
        this with { Name = string.Empty, Price = 0m, Stock = 0, Reservations = ImmutableDictionary<string, int>.Empty, Deleted = true };

    /// <summary>Takes <paramref name="quantity"/> units for an order, once per order.</summary>
    public ReserveOutcome Reserve(string orderId, int quantity, out CatalogItem updated)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        updated = this;
        if (Reservations.TryGetValue(orderId, out var held))
        {
            return held == quantity ? ReserveOutcome.AlreadyReserved : ReserveOutcome.ReservedWithAnotherQuantity;
        }

        if (quantity > Stock)
        {
            return ReserveOutcome.InsufficientStock;
        }

        updated = this with { Stock = checked(Stock - quantity), Reservations = Reservations.Add(orderId, quantity) };
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

        updated = this with { Stock = checked(Stock + quantity), Reservations = Reservations.Remove(orderId) };
        return true;
    }

    public Contracts.Reservation ReservationOf(string orderId) => new(Id, orderId, Reservations[orderId], Price);
}

namespace Catalog.Domain;

/// <summary>What a reservation attempt on one item came to.</summary>
public enum ReserveOutcome
{
    Reserved,
    AlreadyReserved,
    ReservedWithAnotherQuantity,
    InsufficientStock,
    ItemNotFound,
}

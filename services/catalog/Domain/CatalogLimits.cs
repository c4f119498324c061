namespace Catalog.Domain;

/// <summary>
/// What the domain needs, and no more: prices and stock stay far from the limits of the types that carry them, so
/// nothing derived from them (stock given back, a line total in orders) can overflow.
/// </summary>
public static class CatalogLimits
{
    public const int MaxNameLength = 200;
    public const decimal MaxPrice = 1_000_000m;
    public const int MaxPriceDecimals = 2;
    public const int MaxStock = 1_000_000;
    public const int MaxQuantity = MaxStock;
}

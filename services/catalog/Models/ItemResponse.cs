using Catalog.Domain;

namespace Catalog.Models;

/// <summary>The public view of an item; reservations stay private to the catalog.</summary>
public sealed record ItemResponse(string Id, string Name, decimal Price, int Stock)
{
    public static ItemResponse From(CatalogItem item) => new(item.Id, item.Name, item.Price, item.Stock);
}

namespace Catalog.Models;

/// <summary>One page of items; pass <see cref="NextCursor"/> as <c>cursor</c> for the next page (null on the last).</summary>
public sealed record ItemPage(IReadOnlyList<ItemResponse> Items, string? NextCursor);

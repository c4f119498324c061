namespace Catalog.Models;

/// <summary>Body of <c>PUT /items/{id}</c>; every field is required (nullable here so a missing one is named, not defaulted).</summary>
public sealed record UpsertItemRequest(string? Name, decimal? Price, int? Stock);

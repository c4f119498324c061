namespace Catalog.Models;

/// <summary>Body of <c>PUT /items/{id}</c>.</summary>
public sealed record UpsertItemRequest(string? Name, decimal Price, int Stock);

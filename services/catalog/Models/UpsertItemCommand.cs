using Microsoft.AspNetCore.Mvc;
using ServiceDefaults;

namespace Catalog.Models;

/// <summary><c>PUT /items/{id}</c>: the route id and the body, validated together.</summary>
public sealed record UpsertItemCommand([FromRoute] string Id, [FromBody] UpsertItemRequest Body) : IValidatable
{
    public IDictionary<string, string[]> Validate() => new ValidationErrors()
        .ItemId(Id)
        .When(string.IsNullOrWhiteSpace(Body.Name) || Body.Name.Length > 200, "name", "name is required (1-200 characters).")
        .When(Body.Price < 0, "price", "price must be 0 or more.")
        .When(Body.Stock < 0, "stock", "stock must be 0 or more.")
        .ToDictionary();
}

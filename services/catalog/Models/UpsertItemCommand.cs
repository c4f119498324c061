using Microsoft.AspNetCore.Mvc;
using ServiceDefaults;

namespace Catalog.Models;

/// <summary><c>PUT /items/{id}</c>: the route id and the body, validated together.</summary>
public sealed record UpsertItemCommand([FromRoute] string Id, [FromBody] UpsertItemRequest? Body) : IValidatable
{
    public IDictionary<string, string[]> Validate()
    {
        var errors = new ValidationErrors().ItemId(Id).Body(Body);
        return Body is null ? errors.ToDictionary() : errors.Name(Body.Name).Price(Body.Price).Stock(Body.Stock).ToDictionary();
    }
}

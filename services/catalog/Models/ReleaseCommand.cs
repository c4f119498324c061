using Microsoft.AspNetCore.Mvc;
using ServiceDefaults;

namespace Catalog.Models;

/// <summary><c>DELETE /items/{id}/reservations/{orderId}</c>.</summary>
public sealed record ReleaseCommand([FromRoute] string Id, [FromRoute] string OrderId) : IValidatable
{
    public IDictionary<string, string[]> Validate() => new ValidationErrors().ItemId(Id).OrderId(OrderId).ToDictionary();
}

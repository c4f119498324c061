using Contracts;
using Microsoft.AspNetCore.Mvc;
using ServiceDefaults;

namespace Catalog.Models;

/// <summary><c>POST /items/{id}/reservations</c>: the route id and the reservation asked for.</summary>
public sealed record ReserveCommand([FromRoute] string Id, [FromBody] ReservationRequest Body) : IValidatable
{
    public IDictionary<string, string[]> Validate() => new ValidationErrors()
        .ItemId(Id)
        .OrderId(Body.OrderId)
        .When(Body.Quantity < 1, "quantity", "quantity must be 1 or more.")
        .ToDictionary();
}

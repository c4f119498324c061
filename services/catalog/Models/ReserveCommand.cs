using Contracts;
using Microsoft.AspNetCore.Mvc;
using ServiceDefaults;

namespace Catalog.Models;

/// <summary><c>POST /items/{id}/reservations</c>: the route id and the reservation asked for.</summary>
public sealed record ReserveCommand([FromRoute] string Id, [FromBody] ReservationRequest? Body) : IValidatable
{
    public IDictionary<string, string[]> Validate()
    {
        var errors = new ValidationErrors().ItemId(Id).Body(Body);
        return Body is null ? errors.ToDictionary() : errors.OrderId(Body.OrderId).Quantity(Body.Quantity).ToDictionary();
    }
}

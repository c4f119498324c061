using Catalog.Domain;
using Catalog.Infrastructure;
using Catalog.Models;
using Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using ServiceDefaults;

namespace Catalog.Apis;

/// <summary>Stock reservations held by orders: reserve (once per order) and release.</summary>
public static class ReservationsApi
{
    public static IEndpointRouteBuilder MapReservationsApi(this IEndpointRouteBuilder app)
    {
        var reservations = app.MapGroup("/items/{id}/reservations").WithTags("Reservations");

        reservations.MapPost("/", Reserve).WithValidation<ReserveCommand>()
            .WithName("ReserveStock").WithSummary("Reserves stock for an order; repeating it returns the same reservation.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        reservations.MapDelete("/{orderId}", Release).WithValidation<ReleaseCommand>()
            .WithName("ReleaseStock").WithSummary("Gives an order's reserved stock back (nothing to do when it holds none).");

        return app;
    }

    internal static async Task<Results<Created<Reservation>, Ok<Reservation>, ProblemHttpResult>> Reserve(
        [AsParameters] ReserveCommand command, ItemStore store, CatalogMetrics metrics, CancellationToken cancellationToken)
    {
        var (id, request) = (command.Id, command.Body!);
        var (outcome, item) = await store.ReserveAsync(id, request.OrderId, request.Quantity, cancellationToken);
        if (outcome == ReserveOutcome.Reserved)
        {
            metrics.Reserved();
        }
        else if (outcome == ReserveOutcome.InsufficientStock)
        {
            metrics.Conflict(id);
        }

        return outcome switch
        {
            ReserveOutcome.Reserved => TypedResults.Created(
                $"/items/{id}/reservations/{request.OrderId}", item!.ReservationOf(request.OrderId)),
            ReserveOutcome.AlreadyReserved => TypedResults.Ok(item!.ReservationOf(request.OrderId)),
            ReserveOutcome.ReservedWithAnotherQuantity =>
                CatalogProblems.ReservedWithAnotherQuantity(item!.ReservationOf(request.OrderId), request.Quantity),
            ReserveOutcome.InsufficientStock => CatalogProblems.NotEnoughStock(id, item!.Stock, request.Quantity),
            _ => CatalogProblems.ItemNotFound(id),
        };
    }

    internal static async Task<NoContent> Release(
        [AsParameters] ReleaseCommand command, ItemStore store, CancellationToken cancellationToken)
    {
        await store.ReleaseAsync(command.Id, command.OrderId, cancellationToken);
        return TypedResults.NoContent();
    }
}

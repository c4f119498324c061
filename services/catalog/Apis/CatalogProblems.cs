using Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catalog.Apis;

/// <summary>The catalog's problem answers, worded so the caller knows what to do next.</summary>
internal static class CatalogProblems
{
    public static ProblemHttpResult ItemNotFound(string id) => TypedResults.Problem(
        title: "Item not found",
        detail: $"There is no catalog item '{id}'. Check the id, or create the item with PUT /items/{id}.",
        statusCode: StatusCodes.Status404NotFound,
        extensions: new Dictionary<string, object?> { ["itemId"] = id });

    public static ProblemHttpResult NotEnoughStock(string id, int available, int requested) => TypedResults.Problem(
        title: "Not enough stock",
        detail: $"Item '{id}' has {available} unit(s) available and {requested} were requested. Reserve fewer units or wait for stock.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["itemId"] = id, ["available"] = available, ["requested"] = requested });

    public static ProblemHttpResult ReservedWithAnotherQuantity(Reservation held, int requested) => TypedResults.Problem(
        title: "Order already holds another quantity",
        detail: $"Order '{held.OrderId}' already holds {held.Quantity} unit(s) of item '{held.ItemId}', not {requested}. " +
            $"Release it (DELETE /items/{held.ItemId}/reservations/{held.OrderId}) before reserving another quantity.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?>
        {
            ["itemId"] = held.ItemId, ["orderId"] = held.OrderId, ["held"] = held.Quantity, ["requested"] = requested,
        });
}

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

    public static ProblemHttpResult Contended(string id) => TypedResults.Problem(
        title: "Item busy",
        detail: $"Item '{id}' was changed by other requests on every attempt; nothing was changed by this one. Retry shortly.",
        statusCode: StatusCodes.Status503ServiceUnavailable,
        extensions: new Dictionary<string, object?> { ["itemId"] = id });
}

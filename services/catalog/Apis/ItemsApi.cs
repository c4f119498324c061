using Catalog.Infrastructure;
using Catalog.Models;
using Catalog.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using ServiceDefaults;

namespace Catalog.Apis;

/// <summary>Items: read, list, create or replace, delete.</summary>
public static class ItemsApi
{
    public static IEndpointRouteBuilder MapItemsApi(this IEndpointRouteBuilder app)
    {
        var items = app.MapGroup("/items").WithTags("Items");

        items.MapGet("/", ListItems).WithValidation<ListItemsQuery>()
            .WithName("ListItems").WithSummary("Lists items in id order, a page at a time.");
        items.MapGet("/{id}", GetItem).WithValidation<ItemRoute>()
            .WithName("GetItem").WithSummary("Reads one item.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        items.MapPut("/{id}", UpsertItem).WithValidation<UpsertItemCommand>()
            .WithName("UpsertItem").WithSummary("Creates or replaces an item; item.upserted is published with the write (transactional outbox).");
        items.MapDelete("/{id}", DeleteItem).WithValidation<ItemRoute>()
            .WithName("DeleteItem").WithSummary("Deletes an item (nothing to do when it does not exist).");

        return app;
    }

    internal static async Task<Results<Ok<ItemResponse>, ProblemHttpResult>> GetItem(
        [AsParameters] ItemRoute route, ItemStore store, CancellationToken cancellationToken)
    {
        var item = await store.FindAsync(route.Id, cancellationToken);
        return item is null ? CatalogProblems.ItemNotFound(route.Id) : TypedResults.Ok(ItemResponse.From(item));
    }

    internal static async Task<Ok<ItemPage>> ListItems(
        [AsParameters] ListItemsQuery query, ItemStore store, CancellationToken cancellationToken)
    {
        var (items, lastId, hasMore) = await store.ListAsync(query.After, query.PageSize, cancellationToken);
        var nextCursor = hasMore && lastId is not null ? PageCursor.Encode(lastId) : null;
        return TypedResults.Ok(new ItemPage([.. items.Select(ItemResponse.From)], nextCursor));
    }

    internal static async Task<Results<Created<ItemResponse>, Ok<ItemResponse>>> UpsertItem(
        [AsParameters] UpsertItemCommand command, ItemStore store, CancellationToken cancellationToken)
    {
        var body = command.Body!;
        var (outcome, item) = await store.UpsertAsync(command.Id, body.Name!, body.Price!.Value, body.Stock!.Value, cancellationToken);
        var response = ItemResponse.From(item);
        return outcome == UpsertOutcome.Created
            ? TypedResults.Created($"/items/{item.Id}", response)
            : TypedResults.Ok(response);
    }

    internal static async Task<NoContent> DeleteItem(
        [AsParameters] ItemRoute route, ItemStore store, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(route.Id, cancellationToken);
        return TypedResults.NoContent();
    }
}

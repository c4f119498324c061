using System.Text.Json;
using Sidecar.Components.State;
using Sidecar.State;

namespace Sidecar.Api.Http;

/// <summary>
/// The state API: <c>/v1.0/state/{store}</c> save, get, delete, bulk get and transactions over <see cref="IStateApi"/>,
/// with the verbs daprd's router takes (save, bulk and transaction by POST or PUT) and request metadata from
/// <c>?metadata.{name}=</c> on every route (dapr/dapr <c>pkg/api/http/http.go</c> constructStateEndpoints,
/// getMetadataFromRequest).
/// </summary>
internal static partial class DaprHttpApi
{
    static partial void MapState(RouteGroupBuilder api)
    {
        var state = api.MapGroup("/state/{storeName}").WithDaprErrors();
        state.MapMethods("", PostOrPut, SaveState);
        state.MapMethods("/bulk", PostOrPut, GetBulkState);
        state.MapMethods("/transaction", PostOrPut, ExecuteStateTransaction);
        state.MapGet("/{key}", GetState);
        state.MapDelete("/{key}", DeleteState);
    }

    private static async Task<IResult> SaveState(string storeName, HttpRequest request, IStateApi state, CancellationToken cancellationToken)
    {
        using var body = await StateHttpRequests.ReadJsonAsync(request, cancellationToken);
        // As daprd: the query's metadata is copied into every item's, winning over the item's own.
        var queryMetadata = StateHttpRequests.QueryMetadata(request);
        var items = StateHttpRequests.Array(body.RootElement, "the request body")
            .Select(StateHttpRequests.ToSave)
            .Select(i => queryMetadata.Count == 0 ? i : i with { Metadata = Merge(i.Metadata, queryMetadata) })
            .ToList();
        await state.SaveAsync(storeName, items, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> GetState(
        string storeName, string key, HttpContext context, IStateApi state, CancellationToken cancellationToken)
    {
        var item = await state.GetAsync(storeName, key, StateHttpRequests.QueryMetadata(context.Request), cancellationToken);
        if (!item.Exists)
        {
            return TypedResults.NoContent();
        }

        context.Response.Headers.ETag = item.ETag;
        foreach (var (name, value) in item.Metadata)
        {
            context.Response.Headers["metadata." + name] = value;
        }

        return TypedResults.Bytes(item.Data, item.Metadata.GetValueOrDefault(StateMetadata.ContentType) ?? "application/json");
    }

    private static async Task<IResult> DeleteState(
        string storeName, string key, HttpRequest request, IStateApi state, CancellationToken cancellationToken)
    {
        // daprd takes the ETag as sent; a quoted HTTP entity tag is accepted too.
        var etag = request.Headers.IfMatch.ToString().Trim('"');
        var delete = new StateDeleteRequest(key, etag.Length > 0 ? etag : null,
            StateHttpRequests.ParseConcurrency(request.Query["concurrency"]), StateHttpRequests.QueryMetadata(request));
        await state.DeleteAsync(storeName, delete, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> GetBulkState(string storeName, HttpRequest request, IStateApi state, CancellationToken cancellationToken)
    {
        using var body = await StateHttpRequests.ReadJsonAsync(request, cancellationToken);
        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keys", out var keysElement))
        {
            throw StateErrors.Malformed("the request body needs 'keys'").ToException();
        }

        var keys = StateHttpRequests.Array(keysElement, "'keys'")
            .Select(k => k.ValueKind == JsonValueKind.String ? k.GetString()! : throw StateErrors.Malformed("'keys' must be strings").ToException())
            .ToList();
        var parallelism = root.TryGetProperty("parallelism", out var p) && p.TryGetInt32(out var n) ? n : 0;
        var metadata = StateHttpRequests.QueryMetadata(request);
        var items = await state.GetBulkAsync(storeName, keys, parallelism, metadata, cancellationToken);
        return new BulkStateResult(items);
    }

    private static async Task<IResult> ExecuteStateTransaction(
        string storeName, HttpRequest request, IStateApi state, CancellationToken cancellationToken)
    {
        using var body = await StateHttpRequests.ReadJsonAsync(request, cancellationToken);
        var root = body.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("operations", out var operationsElement))
        {
            throw StateErrors.Malformed("the request body needs 'operations'").ToException();
        }

        // The request's metadata (the body's, then the query's over it) is copied into every operation's, winning over the
        // operation's own; daprd copies the query's into each operation and hands the body's to the store with the request.
        var requestMetadata = Merge(StateHttpRequests.Metadata(root), StateHttpRequests.QueryMetadata(request));
        var operations = StateHttpRequests.Array(operationsElement, "'operations'")
            .Select(ToOperation)
            .Select(o => requestMetadata.Count == 0 ? o : o with { Metadata = Merge(o.Metadata, requestMetadata) })
            .ToList();
        await state.ExecuteTransactionAsync(storeName, operations, cancellationToken);
        return TypedResults.NoContent();
    }

    private static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string> own, IReadOnlyDictionary<string, string> request)
    {
        var merged = new Dictionary<string, string>(own, StringComparer.Ordinal);
        foreach (var (name, value) in request)
        {
            merged[name] = value;
        }

        return merged;
    }

    private static StateRequest ToOperation(JsonElement operation)
    {
        var kind = operation.ValueKind == JsonValueKind.Object && operation.TryGetProperty("operation", out var o) ? o.GetString() : null;
        if (!operation.TryGetProperty("request", out var request))
        {
            throw StateErrors.Malformed("each operation needs a 'request'").ToException();
        }

        return kind switch
        {
            "upsert" => StateHttpRequests.ToSave(request),
            "delete" => StateHttpRequests.ToDelete(request),
            _ => throw StateErrors.UnsupportedOperation(kind ?? "").ToException(),
        };
    }
}

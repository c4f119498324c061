using System.Text.Json;
using Sidecar.AppChannel;
using Sidecar.PubSub;
using Sidecar.PubSub.Publishing;

namespace Sidecar.Api.Http;

/// <summary><c>POST /v1.0/publish/{pubsub}/{topic}</c> and <c>POST /v1.0-alpha1/publish/bulk/{pubsub}/{topic}</c>.</summary>
internal static partial class DaprHttpApi
{
    private const string MetadataQueryPrefix = "metadata.";

    static partial void MapPublish(RouteGroupBuilder api) =>
        api.MapPost("/publish/{pubsubname}/{**topic}", Publish).WithDaprErrors().WithName("Publish");

    /// <summary>Bulk publish lives under <c>/v1.0-alpha1</c>, outside the <c>/v1.0</c> group; called from <c>MapInvoke</c>.</summary>
    private static void MapBulkPublish(WebApplication app) =>
        app.MapPost("/v1.0-alpha1/publish/bulk/{pubsubname}/{**topic}", BulkPublish).WithDaprErrors().WithName("BulkPublish");

    private static async Task<IResult> Publish(string pubsubname, string? topic, HttpContext context, IPublisher publisher)
    {
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        await publisher.PublishAsync(
            new PublishRequest(pubsubname, topic ?? "", body, context.Request.ContentType, QueryMetadata(context.Request),
                context.Request.Headers[TraceContext.TraceParentHeader].FirstOrDefault(),
                context.Request.Headers[TraceContext.TraceStateHeader].FirstOrDefault()),
            context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> BulkPublish(string pubsubname, string? topic, HttpContext context, IPublisher publisher)
    {
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        List<BulkPublishEntry> entries;
        try
        {
            entries = ReadBulkEntries(body);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw PubSubErrors.EventsUnreadable(pubsubname, topic ?? "", ex.Message).ToException();
        }

        var failures = await publisher.BulkPublishAsync(pubsubname, topic ?? "", entries, QueryMetadata(context.Request),
            context.Request.Headers[TraceContext.TraceParentHeader].FirstOrDefault(),
            context.Request.Headers[TraceContext.TraceStateHeader].FirstOrDefault(), context.RequestAborted);
        if (failures.Count == 0)
        {
            return TypedResults.NoContent();
        }

        var error = PubSubErrors.PublishFailed(pubsubname, topic ?? "", string.Join("; ", failures.Select(f => f.Error).Distinct()));
        return TypedResults.Json(new
        {
            failedEntries = failures.Select(f => new { entryId = f.EntryId, error = f.Error }),
            errorCode = error.ErrorCode,
        }, statusCode: (int)error.HttpStatus);
    }

    /// <summary>Entries <c>[{entryId, event, contentType, metadata}]</c>; a JSON event is kept as JSON, a string as its text.</summary>
    private static List<BulkPublishEntry> ReadBulkEntries(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var entries = new List<BulkPublishEntry>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var entryId = (TryGetMember(item, "entryId", out var id) ? id.GetString() : null)
                ?? throw new FormatException("entryId is required");
            var contentType = TryGetMember(item, "contentType", out var ct) ? ct.GetString() : null;
            var eventBytes = TryGetMember(item, "event", out var ev)
                ? ev.ValueKind == JsonValueKind.String && !(contentType is not null && CloudEventBuilder.IsJson(contentType))
                    ? System.Text.Encoding.UTF8.GetBytes(ev.GetString()!)
                    : JsonSerializer.SerializeToUtf8Bytes(ev)
                : [];
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (TryGetMember(item, "metadata", out var md) && md.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in md.EnumerateObject())
                {
                    metadata[property.Name] = property.Value.ToString();
                }
            }

            entries.Add(new BulkPublishEntry(entryId, eventBytes, contentType, metadata));
        }

        return entries;
    }

    /// <summary>
    /// A member by name as daprd's <c>encoding/json</c> decodes its entry struct: the exact name, else one that differs
    /// only in case (the JS SDK sends <c>entryID</c>, which daprd accepts).
    /// </summary>
    private static bool TryGetMember(JsonElement item, string name, out JsonElement value)
    {
        if (item.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var property in item.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }

    private static Dictionary<string, string> QueryMetadata(HttpRequest request)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            if (key.StartsWith(MetadataQueryPrefix, StringComparison.OrdinalIgnoreCase))
            {
                metadata[key[MetadataQueryPrefix.Length..]] = value.ToString();
            }
        }

        return metadata;
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}

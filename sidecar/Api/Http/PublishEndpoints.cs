using System.Text.Json;
using Sidecar.AppChannel;
using Sidecar.PubSub;
using Sidecar.PubSub.Publishing;

namespace Sidecar.Api.Http;

/// <summary>
/// <c>POST|PUT /v1.0/publish/{pubsub}/{topic}</c> and <c>POST|PUT /v1.0[-alpha1]/publish/bulk/{pubsub}/{topic}</c>, the
/// verbs and versions daprd's router takes (dapr/dapr <c>pkg/api/http/http.go</c> constructPubSubEndpoints).
/// </summary>
internal static partial class DaprHttpApi
{
    private const string MetadataQueryPrefix = "metadata.";

    private static readonly string[] PostOrPut = [HttpMethods.Post, HttpMethods.Put];

    static partial void MapPublish(RouteGroupBuilder api)
    {
        // The literal segment wins over the parameter, so bulk is not taken for a pub/sub named "bulk".
        api.MapMethods("/publish/bulk/{pubsubname}/{**topic}", PostOrPut, BulkPublish).WithDaprErrors().WithName("BulkPublishV1");
        api.MapMethods("/publish/{pubsubname}/{**topic}", PostOrPut, Publish).WithDaprErrors().WithName("Publish");
    }

    /// <summary>Bulk publish also lives under <c>/v1.0-alpha1</c>, outside the <c>/v1.0</c> group; called from <c>MapInvoke</c>.</summary>
    private static void MapBulkPublish(WebApplication app) =>
        app.MapMethods("/v1.0-alpha1/publish/bulk/{pubsubname}/{**topic}", PostOrPut, BulkPublish).WithDaprErrors().WithName("BulkPublish");

    private static async Task<IResult> Publish(string pubsubname, string? topic, HttpContext context, IPublisher publisher)
    {
        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request, context.RequestAborted);
        }
        catch (Hosting.RequestBodyTooLargeException ex)
        {
            throw PubSubErrors.PublishFailed(pubsubname, topic ?? "", ex.Message).ToException();
        }

        await publisher.PublishAsync(
            new PublishRequest(pubsubname, topic ?? "", body, context.Request.ContentType, QueryMetadata(context.Request),
                context.Request.Headers[TraceContext.TraceParentHeader].FirstOrDefault(),
                context.Request.Headers[TraceContext.TraceStateHeader].FirstOrDefault()),
            context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> BulkPublish(string pubsubname, string? topic, HttpContext context, IPublisher publisher)
    {
        publisher.EnsureTarget(pubsubname, topic ?? "");
        List<JsonElement> items;
        try
        {
            var body = await ReadBodyAsync(context.Request, context.RequestAborted);
            items = [.. JsonDocument.Parse(body).RootElement.EnumerateArray()];
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or Hosting.RequestBodyTooLargeException)
        {
            throw PubSubErrors.EventsUnreadable(pubsubname, topic ?? "", ex.Message).ToException();
        }

        var entries = new List<BulkPublishEntry>(items.Count);
        foreach (var item in items)
        {
            entries.Add(ReadBulkEntry(pubsubname, topic ?? "", item));
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

    /// <summary>
    /// One entry <c>{entryId, event, contentType, metadata}</c>, its event turned into bytes by its content type as daprd
    /// does (dapr/dapr <c>pkg/api/http/util.go</c> ConvertEventToBytes): <c>application/octet-stream</c> takes a base64
    /// string and sends the decoded bytes; <c>text/*</c> and <c>application/xml</c> take a string as its text;
    /// <c>application/json</c> and CloudEvents take any JSON. Anything else, or an event of the wrong kind, is 400.
    /// </summary>
    private static BulkPublishEntry ReadBulkEntry(string pubSubName, string topic, JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw PubSubErrors.EventsUnreadable(pubSubName, topic, "each entry must be a JSON object").ToException();
        }

        var entryId = TryGetMember(item, "entryId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : "";
        var contentType = TryGetMember(item, "contentType", out var ct) && ct.ValueKind == JsonValueKind.String ? ct.GetString()! : "";
        var ev = TryGetMember(item, "event", out var e) ? e : default;
        var eventBytes = EventBytes(ev, contentType)
            ?? throw PubSubErrors.EnvelopeUnmarshallable(pubSubName, topic, "error: mismatch between contentType and event").ToException();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (TryGetMember(item, "metadata", out var md) && md.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in md.EnumerateObject())
            {
                metadata[property.Name] = property.Value.ToString();
            }
        }

        return new BulkPublishEntry(entryId, eventBytes, contentType.Length == 0 ? null : contentType, metadata);
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

    /// <summary>The event's bytes for its content type, or null when the two do not fit together.</summary>
    private static byte[]? EventBytes(JsonElement ev, string contentType)
    {
        if (CloudEventBuilder.IsBinary(contentType))
        {
            if (ev.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            try
            {
                return Convert.FromBase64String(ev.GetString()!);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        if (CloudEventBuilder.IsString(contentType))
        {
            return ev.ValueKind == JsonValueKind.String ? System.Text.Encoding.UTF8.GetBytes(ev.GetString()!) : null;
        }

        if (CloudEventBuilder.IsJson(contentType) || CloudEventBuilder.IsCloudEvent(contentType))
        {
            return ev.ValueKind == JsonValueKind.Undefined ? "null"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(ev);
        }

        return null;
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

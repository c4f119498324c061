using System.Text;
using System.Text.Json;
using Sidecar.Components.State;
using Sidecar.State;

namespace Sidecar.Api.Http;

/// <summary>Reads the state API's JSON bodies as daprd accepts them; anything malformed is ERR_MALFORMED_REQUEST.</summary>
internal static class StateHttpRequests
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    public static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            throw StateErrors.Malformed($"failed to parse the request body as JSON: {ex.Message}").ToException();
        }
        catch (Hosting.RequestBodyTooLargeException ex)
        {
            // daprd's JSON decoder fails on the read error: ERR_MALFORMED_REQUEST naming it.
            throw StateErrors.Malformed(ex.Message).ToException();
        }
    }

    /// <summary>A state item: <c>{key, value, etag, options{concurrency, consistency}, metadata}</c>.</summary>
    public static StateSaveRequest ToSave(JsonElement item) =>
        new(Key(item), ValueBytes(item), ETag(item), Concurrency(item), Metadata(item));

    public static StateDeleteRequest ToDelete(JsonElement item) =>
        new(Key(item), ETag(item), Concurrency(item), Metadata(item));

    public static IReadOnlyList<JsonElement> Array(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Array
            ? [.. element.EnumerateArray()]
            : throw StateErrors.Malformed($"{what} must be a JSON array").ToException();

    /// <summary>Request metadata from <c>metadata.{name}=value</c> query parameters (the first value of a repeated one, as daprd).</summary>
    public static Dictionary<string, string> QueryMetadata(HttpRequest request)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Query)
        {
            if (name.StartsWith("metadata.", StringComparison.Ordinal))
            {
                metadata[name["metadata.".Length..]] = values[0] ?? "";
            }
        }

        return metadata;
    }

    public static Concurrency ParseConcurrency(string? text) =>
        string.Equals(text, "first-write", StringComparison.OrdinalIgnoreCase) ? Components.State.Concurrency.FirstWrite : Components.State.Concurrency.LastWrite;

    public static IReadOnlyDictionary<string, string> Metadata(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            return NoMetadata;
        }

        return metadata.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(),
            StringComparer.Ordinal);
    }

    private static string Key(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String
            ? key.GetString()!
            : throw StateErrors.Malformed("each state item needs a string 'key'").ToException();

    /// <summary>The value as the JSON the app sent (so SDKs read back what they wrote); no value stores nothing but null.</summary>
    private static byte[] ValueBytes(JsonElement item) =>
        item.TryGetProperty("value", out var value) ? Encoding.UTF8.GetBytes(value.GetRawText()) : "null"u8.ToArray();

    private static string? ETag(JsonElement item) =>
        item.TryGetProperty("etag", out var etag) && etag.ValueKind == JsonValueKind.String ? etag.GetString() : null;

    private static Concurrency Concurrency(JsonElement item) =>
        item.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("concurrency", out var concurrency) && concurrency.ValueKind == JsonValueKind.String
            ? ParseConcurrency(concurrency.GetString())
            : Components.State.Concurrency.LastWrite;
}

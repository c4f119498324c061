using System.Text.Json;
using Sidecar.State;

namespace Sidecar.Api.Http;

/// <summary>
/// The bulk get answer, <c>[{key, data, etag, metadata, error}]</c>: <c>data</c> is the stored JSON as is (a JSON string
/// when the stored bytes are not JSON); missing keys carry only their key, as daprd omits empty fields.
/// </summary>
internal sealed class BulkStateResult(IReadOnlyList<BulkStateItem> items) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(httpContext.Response.Body);
        writer.WriteStartArray();
        foreach (var item in items)
        {
            writer.WriteStartObject();
            writer.WriteString("key", item.Key);
            if (item.Data.Length > 0)
            {
                writer.WritePropertyName("data");
                WriteData(writer, item.Data);
            }

            if (item.ETag.Length > 0)
            {
                writer.WriteString("etag", item.ETag);
            }

            if (item.Metadata.Count > 0)
            {
                writer.WriteStartObject("metadata");
                foreach (var (name, value) in item.Metadata)
                {
                    writer.WriteString(name, value);
                }

                writer.WriteEndObject();
            }

            if (item.Error is { } error)
            {
                writer.WriteString("error", error);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        await writer.FlushAsync();
    }

    private static void WriteData(Utf8JsonWriter writer, byte[] data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            document.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(System.Text.Encoding.UTF8.GetString(data));
        }
    }
}

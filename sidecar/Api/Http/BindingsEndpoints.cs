using System.Text;
using System.Text.Json;
using Sidecar.AppChannel;
using Sidecar.Bindings;
using Sidecar.Components.Bindings;

namespace Sidecar.Api.Http;

/// <summary>
/// <c>POST|PUT /v1.0/bindings/{name}</c> with <c>{"data":...,"metadata":{...},"operation":"..."}</c>: the binding gets
/// <c>data</c> as JSON text (a string arrives quoted, a missing one as <c>null</c>, as daprd re-encodes it). The answer
/// is the binding's data (200; 204 when it answers nothing) with its metadata as <c>metadata.{key}</c> headers, also on
/// an error (500 <c>ERR_INVOKE_OUTPUT_BINDING</c>).
/// </summary>
// dapr/dapr pkg/api/http/http.go onOutputBindingMessage
internal static partial class DaprHttpApi
{
    static partial void MapBindings(RouteGroupBuilder api)
    {
        var bindings = api.MapGroup("/bindings").WithDaprErrors();
        bindings.MapMethods("/{name}", [HttpMethods.Post, HttpMethods.Put], InvokeBinding).WithName("InvokeBinding");
    }

    private static async Task<IResult> InvokeBinding(string name, HttpContext context, IBindingsApi bindings)
    {
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        var request = ReadBindingRequest(body);
        var traceParent = Observability.SidecarTelemetry.CurrentTraceParent() ?? context.Request.Headers[TraceContext.TraceParentHeader].FirstOrDefault();
        if (traceParent is not null)
        {
            var metadata = new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal) { [TraceContext.TraceParentHeader] = traceParent };
            if (context.Request.Headers[TraceContext.TraceStateHeader].FirstOrDefault() is { Length: > 0 } traceState)
            {
                metadata[TraceContext.TraceStateHeader] = traceState;
            }

            request = request with { Metadata = metadata };
        }

        var result = await bindings.InvokeAsync(name, request, context.RequestAborted);
        foreach (var (key, value) in result.Metadata)
        {
            if (IsHeaderName(key))
            {
                context.Response.Headers.Append(MetadataQueryPrefix + key, HeaderValue(value));
            }
        }

        if (result.Error is { } error)
        {
            return DaprErrorResults.From(error);
        }

        return result.Response is { } response
            ? TypedResults.Bytes(response.Data, "application/json")
            : TypedResults.NoContent();
    }

    /// <summary>The body as Go's <c>json.Decoder</c> reads it into daprd's struct: field names in any case, metadata values strings.</summary>
    private static BindingRequest ReadBindingRequest(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                throw BindingsErrors.MalformedRequest(
                    $"json: cannot unmarshal {GoKind(document.RootElement.ValueKind)} into Go value of type http.OutputBindingRequest").ToException();
            }

            var data = "null"u8.ToArray();
            var operation = "";
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    switch (property.Name.ToLowerInvariant())
                    {
                        case "data":
                            data = Encoding.UTF8.GetBytes(CompactJson(property.Value));
                            break;
                        case "operation" when property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                            operation = property.Value.GetString() ?? "";
                            break;
                        case "operation":
                            throw Unmarshal(property.Value, "operation", "string");
                        case "metadata" when property.Value.ValueKind == JsonValueKind.Null:
                            break;
                        case "metadata" when property.Value.ValueKind == JsonValueKind.Object:
                            foreach (var item in property.Value.EnumerateObject())
                            {
                                metadata[item.Name] = item.Value.ValueKind switch
                                {
                                    JsonValueKind.String => item.Value.GetString()!,
                                    JsonValueKind.Null => "",
                                    _ => throw Unmarshal(item.Value, "metadata", "string"),
                                };
                            }

                            break;
                        case "metadata":
                            throw Unmarshal(property.Value, "metadata", "map[string]string");
                    }
                }
            }

            return new BindingRequest(operation, data, metadata);
        }
        catch (JsonException ex)
        {
            throw BindingsErrors.MalformedRequest(body.Length == 0 ? "EOF" : ex.Message).ToException();
        }
    }

    private static Errors.DaprException Unmarshal(JsonElement value, string field, string goType) =>
        BindingsErrors.MalformedRequest(
            $"json: cannot unmarshal {GoKind(value.ValueKind)} into Go struct field OutputBindingRequest.{field} of type {goType}").ToException();

    private static string GoKind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "bool",
    };

    private static string CompactJson(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static bool IsHeaderName(string key) =>
        key.Length > 0 && key.All(c => c > ' ' && c < 127 && !"()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal));

    /// <summary>A header value HTTP can carry: line breaks become spaces (as Go writes them), other control or non-ASCII characters '?'.</summary>
    private static string HeaderValue(string value) =>
        string.Create(value.Length, value, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is '\r' or '\n' ? ' ' : c is < ' ' and not '\t' or > '~' ? '?' : c;
            }
        });
}

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace TestDoubles;

/// <summary>
/// Reads a service's <c>/openapi/v1.json</c> and holds it against the service's endpoints: every routed endpoint is
/// documented and nothing else is, and each operation lists exactly the statuses it answers, errors as problem details.
/// </summary>
public sealed class OpenApiContract
{
    private OpenApiContract(JsonElement document) => Document = document;

    /// <summary>The parsed document.</summary>
    public JsonElement Document { get; }

    /// <summary>Fetches the document; fails unless it answers 200 with JSON.</summary>
    public static async Task<OpenApiContract> FetchAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/openapi/v1.json");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /openapi/v1.json answered {(int)response.StatusCode}");
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new OpenApiContract(json.RootElement.Clone());
    }

    /// <summary>"METHOD /path" of every operation in the document.</summary>
    public IReadOnlySet<string> Operations() =>
        Document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(op => HttpMethods.IsGet(op.Name) || HttpMethods.IsPost(op.Name) || HttpMethods.IsPut(op.Name)
                    || HttpMethods.IsDelete(op.Name) || HttpMethods.IsPatch(op.Name))
                .Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>"METHOD /path" of every endpoint the app routes that is not excluded from descriptions.</summary>
    public static IReadOnlySet<string> Endpoints(IServiceProvider services) =>
        ((EndpointDataSource)services.GetService(typeof(EndpointDataSource))!).Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(method => $"{method} {Normalise(e.RoutePattern.RawText ?? "")}"))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The operation at "METHOD /path".</summary>
    public JsonElement Operation(string operation)
    {
        var (method, path) = (operation[..operation.IndexOf(' ')], operation[(operation.IndexOf(' ') + 1)..]);
        return Document.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant());
    }

    /// <summary>The response statuses the operation lists.</summary>
    public IReadOnlySet<int> Statuses(string operation) =>
        Operation(operation).GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name)).ToHashSet();

    /// <summary>The content types of one response.</summary>
    public IReadOnlySet<string> ContentTypes(string operation, int status) =>
        Operation(operation).GetProperty("responses").GetProperty(status.ToString()) is var response
        && response.TryGetProperty("content", out var content)
            ? content.EnumerateObject().Select(c => c.Name).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();

    /// <summary>Property names of the JSON schema of a request body or of a response (following <c>$ref</c>).</summary>
    public IReadOnlySet<string> Properties(string operation, int? status = null)
    {
        var op = Operation(operation);
        var holder = status is { } s ? op.GetProperty("responses").GetProperty(s.ToString()) : op.GetProperty("requestBody");
        var schema = holder.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema");
        return Resolve(schema).TryGetProperty("properties", out var properties)
            ? properties.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();
    }

    private JsonElement Resolve(JsonElement schema)
    {
        // A nullable body or answer is a choice between null and the record: the record is the schema that has fields.
        foreach (var choice in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(choice, out var options)
                && options.EnumerateArray().FirstOrDefault(o => o.TryGetProperty("$ref", out _)) is { ValueKind: JsonValueKind.Object } record)
            {
                schema = record;
            }
        }

        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/').Last();
            schema = Document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }

    private static string Normalise(string pattern)
    {
        var path = "/" + pattern.Trim('/');
        return path;
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ServiceDefaults.OpenApi;

/// <summary>
/// Adds what <see cref="ProblemDetailsExceptionHandler"/> answers for any operation: 503 when the sidecar cannot complete
/// the call, and 400 for a malformed body on operations that take one. Both are RFC 7807 problem details.
/// </summary>
internal sealed class SharedProblemsTransformer : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.Responses ??= new OpenApiResponses();
        var hasBody = context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Body");
        if (hasBody)
        {
            await AddAsync(operation, context, StatusCodes.Status400BadRequest, "Malformed request", cancellationToken);
        }

        await AddAsync(operation, context, StatusCodes.Status503ServiceUnavailable,
            "The Dapr sidecar could not complete the operation; try again.", cancellationToken);
    }

    private static async Task AddAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, string description,
        CancellationToken cancellationToken)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        var schema = await context.GetOrCreateSchemaAsync(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), null, cancellationToken);
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = schema } },
        };
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;

namespace ServiceDefaults.OpenApi;

/// <summary>
/// Every service's OpenAPI document at <c>/openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi), with the problem
/// answers every operation can give, and the Scalar UI at <c>/scalar</c> in Development.
/// </summary>
public static class OpenApiExtensions
{
    /// <summary>Where the document is served (through the sidecar: <c>/v1.0/invoke/&lt;app&gt;/method/openapi/v1.json</c>).</summary>
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Registers the <c>v1</c> document and the transformer that adds the shared problem answers.</summary>
    public static IServiceCollection AddServiceOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options => options.AddOperationTransformer<SharedProblemsTransformer>());

    /// <summary>Maps the document, and Scalar's UI in Development.</summary>
    public static WebApplication MapServiceOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath.Replace("v1", "{documentName}", StringComparison.Ordinal));
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(options => options.WithOpenApiRoutePattern(DocumentPath));
        }

        return app;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sidecar.Api.Grpc;
using Sidecar.Hosting;

namespace Sidecar.Api.Http;

/// <summary>
/// <c>DAPR_API_TOKEN</c>: every request on both ports must carry header <c>dapr-api-token</c> equal to it (compared in
/// constant time), except the HTTP health routes. HTTP callers get what daprd's middleware writes with Go's
/// <c>http.Error</c>: 401, <c>text/plain</c>, body <c>invalid api token</c> (dapr/dapr <c>pkg/api/http/middlewares.go</c>
/// APITokenAuthMiddleware). gRPC callers (HTTP/2 requests with an <c>application/grpc</c> content type) get
/// <c>Unauthenticated</c> "Unauthorized" with daprd's ErrorInfo detail (<c>pkg/api/grpc/auth.go</c>).
/// </summary>
internal sealed class ApiTokenMiddleware(RequestDelegate next, SidecarOptions options)
{

    private readonly byte[]? _token = options.ApiToken is { Length: > 0 } token ? Encoding.UTF8.GetBytes(token) : null;

    public Task InvokeAsync(HttpContext context)
    {
        // daprd's metrics endpoint answers scrapers without the token.
        if (_token is null || IsValid(context.Request.Headers[DaprHeaders.ApiToken].ToString())
            || context.Connection.LocalPort == options.Observability.MetricsPort)
        {
            return next(context);
        }

        var isGrpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
        // A proxied gRPC call from another sidecar of this run carries that run's internal token instead.
        if (isGrpc && Grpc.Proxy.GrpcProxy.IsFromAnotherSidecar(context))
        {
            return next(context);
        }

        // The internal routes check their own token: other sidecars do not know this one's API token.
        if (!isGrpc && (context.Request.Path.StartsWithSegments("/v1.0/healthz", StringComparison.OrdinalIgnoreCase)
                        || Invocation.InternalInvocation.IsInternalPath(context.Request.Path)))
        {
            return next(context);
        }

        if (isGrpc)
        {
            // A trailers-only gRPC answer: status 200 with grpc-status in the headers.
            var error = HttpStatusToGrpc.ErrorFor(StatusCodes.Status401Unauthorized,
                context.Request.Headers.ContainsKey(DaprHeaders.ApiToken) ? "authentication error: api token mismatch" : "missing api token in request metadata")!;
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = ((int)error.StatusCode).ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["grpc-message"] = error.Status.Detail;
            foreach (var entry in error.Trailers)
            {
                context.Response.Headers[entry.Key] = entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes).TrimEnd('=') : entry.Value;
            }

            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return context.Response.WriteAsync("invalid api token\n");
    }

    private bool IsValid(string presented) =>
        presented.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token);
}

/// <summary>
/// Puts <see cref="ApiTokenMiddleware"/> in front of the whole pipeline (a startup filter runs before routing), so no
/// route on either port, whoever maps it, escapes the check.
/// </summary>
internal sealed class ApiTokenStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<ApiTokenMiddleware>();
        next(app);
    };
}

internal static class ApiTokenRegistration
{
    public static IServiceCollection AddDaprApiToken(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ApiTokenStartupFilter>());
        return services;
    }
}

using Sidecar.Errors;

namespace Sidecar.Api.Http;

/// <summary>
/// The last resort of the HTTP API: a failure no building block turned into a Dapr error would otherwise reach the
/// caller as an empty 500. It is logged here with its stack trace, and the caller gets Dapr's error shape naming the
/// route, without the exception's text (it can carry connection strings or other secrets). gRPC calls never get here:
/// Grpc.AspNetCore answers their exceptions itself.
/// </summary>
internal sealed partial class UnhandledErrorMiddleware(RequestDelegate next, ILogger<UnhandledErrorMiddleware> logger)
{
    public const string ErrorCode = "ERR_INTERNAL";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested && !IsGrpc(context.Request))
        {
            var route = $"{context.Request.Method} {context.Request.Path}";
            LogUnhandled(ex, route);
            if (context.Response.HasStarted)
            {
                // Part of an answer is on the wire: only breaking the connection tells the caller it is incomplete.
                context.Abort();
                return;
            }

            context.Response.Clear();
            await DaprErrorResults.WriteAsync(context, new DaprError(
                ErrorCode, $"the sidecar failed to handle {route}; its log has the details", System.Net.HttpStatusCode.InternalServerError,
                global::Grpc.Core.StatusCode.Internal));
        }
    }

    private static bool IsGrpc(HttpRequest request) =>
        request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure on {Route}")]
    private partial void LogUnhandled(Exception exception, string route);
}

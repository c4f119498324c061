using System.Text.Json;
using Dapr;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using ServiceDefaults.Http;
using ServiceDefaults.State;

namespace ServiceDefaults;

/// <summary>
/// The one place where an unhandled exception becomes an RFC 7807 answer: malformed requests are 400 (or 413 when too
/// large), a sidecar that cannot be reached or a key that stayed contended is 503, anything else 500. No stack trace
/// ever reaches the caller.
/// </summary>
internal sealed partial class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException { InnerException: JsonException json })
        {
            // A body that does not bind names the field it failed at, like every other validation error.
            httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = new HttpValidationProblemDetails(JsonBodyErrors.For(json)) { Status = StatusCodes.Status400BadRequest },
            });
        }

        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "Request body too large" : "Malformed request", bad.Message),
            ContentionException contended => (StatusCodes.Status503ServiceUnavailable, "Busy, retry shortly",
                $"'{contended.Key}' was changed by other requests on each of {contended.Attempts} attempts; this request changed nothing."),
            DaprException => (StatusCodes.Status503ServiceUnavailable, "Dapr sidecar unavailable",
                "The Dapr sidecar could not complete the operation; try again."),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested =>
                (499, "Request cancelled", "The client closed the request."),
            _ => (StatusCodes.Status500InternalServerError, "Unexpected error", "An unexpected error occurred; see the service log."),
        };

        if (status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        if (exception is ContentionException)
        {
            // Contention clears within moments: tell clients (and Dapr's resiliency policies) when to come back.
            httpContext.Response.Headers.RetryAfter = "1";
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}

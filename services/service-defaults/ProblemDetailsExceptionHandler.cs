using System.Text.Json;
using Dapr;
using Grpc.Core;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using ServiceDefaults.Http;
using ServiceDefaults.State;

namespace ServiceDefaults;

/// <summary>
/// The one place where an unhandled exception becomes an RFC 7807 answer: a malformed request is 400 naming the field
/// (JSON of the wrong type or out of range, a missing body), a body over the limit 413, a sidecar that cannot be
/// reached 503 (<see cref="DaprException"/> from <c>DaprClient</c>, <see cref="RpcException"/> from the workflow client,
/// which talks gRPC to the sidecar), a key that stayed contended 503, anything else 500. No stack trace ever reaches the caller.
/// </summary>
internal sealed partial class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    private const string SidecarUnavailable = "Dapr sidecar unavailable";
    private const string TryAgain = "The Dapr sidecar could not complete the operation; try again.";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => Invalid(JsonBodyErrors.For(json)),
            BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad when IsMissingBody(bad) =>
                Invalid("body", "A JSON body is required."),
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Malformed request",
                Detail = bad.Message,
            },
            ContentionException contended => Problem(StatusCodes.Status503ServiceUnavailable, "Busy, retry shortly",
                $"'{contended.Key}' was changed by other requests on each of {contended.Attempts} attempts; this request changed nothing."),
            DaprException or RpcException => Problem(StatusCodes.Status503ServiceUnavailable, SidecarUnavailable, TryAgain),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested =>
                Problem(499, "Request cancelled", "The client closed the request."),
            _ => Problem(StatusCodes.Status500InternalServerError, "Unexpected error", "An unexpected error occurred; see the service log."),
        };

        if (problem.Status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (exception is ContentionException)
        {
            // Contention clears within moments: tell clients (and Dapr's resiliency policies) when to come back.
            httpContext.Response.Headers.RetryAfter = "1";
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = problem,
        });
    }

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };

    private static HttpValidationProblemDetails Invalid(string field, string error) =>
        Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [error] });

    private static HttpValidationProblemDetails Invalid(Dictionary<string, string[]> errors) =>
        new(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more validation errors occurred.",
            Detail = $"Fix '{string.Join("', '", errors.Keys)}' and send the request again.",
        };

    // ASP.NET Core says so in words only: "Required parameter ... was not provided from body" / "Implicit body inferred ... but no body was provided".
    private static bool IsMissingBody(BadHttpRequestException bad) =>
        bad.Message.Contains("from body", StringComparison.Ordinal) || bad.Message.Contains("no body was provided", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}

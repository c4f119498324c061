using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;

namespace ServiceDefaults.Http;

/// <summary>
/// One body size limit for every service (<c>RequestLimits:MaxBodyBytes</c>, 64 KiB by default: the largest request
/// any API takes is a few hundred bytes). A declared length above it is refused before anything is read; a chunked
/// body is cut off by the server's own limit, set per request here, whose error the exception handler turns into the
/// same 413 problem.
/// </summary>
public static class RequestBodyLimit
{
    /// <summary>The configuration key.</summary>
    public const string ConfigKey = "RequestLimits:MaxBodyBytes";

    /// <summary>The limit when none is configured.</summary>
    public const long DefaultMaxBodyBytes = 64 * 1024;

    /// <summary>The configured limit, or the default.</summary>
    public static long MaxBodyBytes(IConfiguration configuration) =>
        configuration.GetValue(ConfigKey, DefaultMaxBodyBytes) is var limit and > 0
            ? limit
            : throw new InvalidOperationException($"{ConfigKey} must be a positive number of bytes.");

    /// <summary>Answers 413 problem details for a body declared larger than the limit, and caps undeclared ones.</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app, long maxBodyBytes) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > maxBodyBytes)
            {
                await TooLarge(maxBodyBytes).ExecuteAsync(context);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = maxBodyBytes;
            }

            await next(context);
        });

    /// <summary>The 413 answer, saying the limit.</summary>
    public static IResult TooLarge(long maxBodyBytes) => TypedResults.Problem(
        title: "Request body too large",
        detail: $"The request body must be at most {maxBodyBytes} bytes.",
        statusCode: StatusCodes.Status413PayloadTooLarge,
        extensions: new Dictionary<string, object?> { ["maxBodyBytes"] = maxBodyBytes });
}

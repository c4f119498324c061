using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ServiceDefaults;

/// <summary>
/// A service's own limit on request bodies, far below Kestrel's 30 MB default: a declared length over it answers 413
/// problem details at once, naming the limit; a chunked body is cut off by Kestrel at the same limit (413 through the
/// exception handler).
/// </summary>
public static class RequestBodyLimit
{
    /// <summary>Refuses request bodies larger than <paramref name="maxBytes"/>.</summary>
    public static WebApplication UseRequestBodyLimit(this WebApplication app, long maxBytes)
    {
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > maxBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await Results.Problem(
                    title: "Request body too large",
                    detail: $"The body is {context.Request.ContentLength} bytes; this service accepts at most {maxBytes} bytes.",
                    statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = maxBytes;
            }

            await next(context);
        });
        return app;
    }
}

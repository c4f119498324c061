using Sidecar.Errors;

namespace Sidecar.Api.Http;

/// <summary>Errors in Dapr's HTTP shape <c>{"errorCode":"...","message":"..."}</c> with the error's status.</summary>
internal static class DaprErrorResults
{
    /// <summary>The HTTP answer for <paramref name="error"/>.</summary>
    public static IResult From(DaprError error) =>
        TypedResults.Json(new DaprErrorBody(error.ErrorCode, error.Message), DaprErrorJsonContext.Default.DaprErrorBody, statusCode: (int)error.HttpStatus);

    /// <summary>Answers <see cref="DaprException"/>s thrown by a group's handlers in Dapr's shape.</summary>
    public static TBuilder WithDaprErrors<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (DaprException ex)
            {
                return From(ex.Error);
            }
        });

    /// <summary>Writes <paramref name="error"/> straight to a response (for middleware).</summary>
    public static Task WriteAsync(HttpContext context, DaprError error)
    {
        context.Response.StatusCode = (int)error.HttpStatus;
        return context.Response.WriteAsJsonAsync(new DaprErrorBody(error.ErrorCode, error.Message), DaprErrorJsonContext.Default.DaprErrorBody);
    }
}

using Microsoft.AspNetCore.Http.Features;
using Sidecar.Errors;
using Sidecar.Hosting;
using Sidecar.Invocation;

namespace Sidecar.Api.Http;

/// <summary>
/// Service invocation over HTTP: <c>/v1.0/invoke/{appId}/method/{method}</c> with any verb, and any request on the
/// HTTP port that carries header <c>dapr-app-id</c> (its whole path is the method). The target's status, headers and
/// body come back as they are.
/// </summary>
internal static partial class DaprHttpApi
{
    static partial void MapInvoke(WebApplication app, RouteGroupBuilder api)
    {
        api.Map("/invoke/{appId}/method/{**method}", InvokeByPath).WithName("InvokeService");
        app.Map(InternalInvocation.PathPrefix + "/{**method}", InvokeFromOtherSidecar).WithName("InternalInvoke");
        app.Use(RouteByAppIdHeader);
        MapBulkPublish(app);
    }

    private static Task InvokeByPath(HttpContext context)
    {
        var appId = (string)context.GetRouteValue("appId")!;
        // The raw (still escaped) path keeps the method exactly as the caller wrote it.
        var path = context.Request.Path.ToUriComponent();
        var marker = path.IndexOf("/method/", "/v1.0/invoke/".Length, StringComparison.Ordinal);
        var method = marker >= 0 ? path[(marker + "/method/".Length)..] : (string?)context.GetRouteValue("method") ?? "";
        return ProxyAsync(context, appId, method);
    }

    private static Task RouteByAppIdHeader(HttpContext context, RequestDelegate next)
    {
        var options = context.RequestServices.GetRequiredService<SidecarOptions>();
        if (context.Connection.LocalPort != options.HttpPort
            || context.Request.Headers[DaprHeaders.AppId].FirstOrDefault() is not { Length: > 0 } appId
            || context.Request.Path.StartsWithSegments("/v1.0/invoke", StringComparison.OrdinalIgnoreCase))
        {
            return next(context);
        }

        return ProxyAsync(context, appId, context.Request.Path.ToUriComponent().TrimStart('/'));
    }

    private static async Task ProxyAsync(HttpContext context, string appId, string method)
    {
        var request = context.Request;
        var invoker = context.RequestServices.GetRequiredService<IServiceInvoker>();
        var hasBody = HasBody(context);
        HttpResponseMessage response;
        try
        {
            response = await invoker.InvokeAsync(
                new InvocationRequest(appId, new HttpMethod(request.Method), method + request.QueryString.ToUriComponent(),
                    request.Headers.Select(h => KeyValuePair.Create(h.Key, (IEnumerable<string>)h.Value!)),
                    hasBody ? request.Body : null, request.ContentType, request.ContentLength),
                context.RequestAborted);
        }
        catch (DaprException ex)
        {
            await DaprErrorResults.WriteAsync(context, ex.Error);
            return;
        }

        await WriteAppResponseAsync(context, response);
    }

    /// <summary>HTTP/2 bodies need not announce a length: ask the server whether this request can have one.</summary>
    private static bool HasBody(HttpContext context) =>
        context.Request.ContentLength > 0
        || (context.Request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

    /// <summary>
    /// The app's status, headers (minus hop-by-hop) and body, as they are; disposes <paramref name="response"/>. The
    /// headers that carry a gRPC app's own status go on only to another sidecar (<paramref name="toSidecar"/>).
    /// </summary>
    private static async Task WriteAppResponseAsync(HttpContext context, HttpResponseMessage response, bool toSidecar = false)
    {
        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in ForwardedHeaders.Of(response)
                         .Where(h => toSidecar || !AppChannel.GrpcApp.GrpcInvocation.IsInternalHeader(h.Key)))
            {
                context.Response.Headers[name] = values.ToArray();
            }

            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            await body.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}

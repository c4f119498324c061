using Microsoft.AspNetCore.Http.Features;
using Sidecar.Errors;
using Sidecar.Hosting;
using Sidecar.Invocation;

namespace Sidecar.Api.Http;

/// <summary>
/// Service invocation over HTTP, routed as daprd routes it (dapr/dapr <c>pkg/api/http/directmessaging.go</c>
/// onDirectMessage, findTargetIDAndMethod): <c>/v1.0/invoke/{appId}/method/{method}</c> with any verb, and, as the
/// router's fallback, any request on the HTTP port that no other route takes and that names its target in header
/// <c>dapr-app-id</c> (or Basic auth <c>dapr-app-id:{appId}</c>; its whole path is the method). A request that matches
/// no route and names no target is 404 ERR_DIRECT_INVOKE. The method is the decoded path, cleaned
/// (<see cref="InvocationMethod"/>). The target's status, headers and body come back as they are.
/// </summary>
internal static partial class DaprHttpApi
{
    // ASP.NET Core's endpoint for a path that matched with another verb (daprd's router: MethodNotAllowed, its fallback too).
    private const string MethodNotAllowedEndpoint = "405 HTTP Method Not Supported";

    static partial void MapInvoke(WebApplication app, RouteGroupBuilder api)
    {
        api.Map("/invoke/{**rest}", InvokeByPath).WithName("InvokeService");
        app.Map(InternalInvocation.PathPrefix + "/{**method}", InvokeFromOtherSidecar).WithName("InternalInvoke");
        app.Use(RouteUnmatchedToInvocation);
        MapBulkPublish(app);
    }

    private static Task InvokeByPath(HttpContext context)
    {
        var path = DecodedPath(context);
        if (TargetFromHeaders(context.Request) is { } headerTarget)
        {
            return ProxyAsync(context, headerTarget, path);
        }

        // What follows /v1.0/invoke/: "{appId}/method/{method}", the id itself possibly escaped (http%3A%2F%2F...).
        var rest = path.Length > "/v1.0/invoke/".Length ? path["/v1.0/invoke/".Length..] : "";
        var marker = rest.IndexOf("/method/", StringComparison.Ordinal);
        return marker > 0
            ? ProxyAsync(context, Uri.UnescapeDataString(rest[..marker]), rest[(marker + "/method/".Length)..])
            : DaprErrorResults.WriteAsync(context, InvocationErrors.NoAppId());
    }

    private static Task RouteUnmatchedToInvocation(HttpContext context, RequestDelegate next)
    {
        var options = context.RequestServices.GetRequiredService<SidecarOptions>();
        if (context.Connection.LocalPort != options.HttpPort
            || context.GetEndpoint() is { DisplayName: not MethodNotAllowedEndpoint })
        {
            return next(context);
        }

        return TargetFromHeaders(context.Request) is { } appId
            ? ProxyAsync(context, appId, DecodedPath(context))
            : DaprErrorResults.WriteAsync(context, InvocationErrors.NoAppId());
    }

    /// <summary>The target named by header <c>dapr-app-id</c>, else by Basic auth user <c>dapr-app-id</c>; null when neither.</summary>
    private static string? TargetFromHeaders(HttpRequest request)
    {
        if (request.Headers[DaprHeaders.AppId].FirstOrDefault() is { Length: > 0 } appId)
        {
            return appId;
        }

        var authorization = request.Headers.Authorization.FirstOrDefault();
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..])).Split(':');
            return pair.Length == 2 && pair[0].Equals(DaprHeaders.AppId, StringComparison.OrdinalIgnoreCase) ? pair[1] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The request path fully percent-decoded, as Go's <c>URL.Path</c> (ASP.NET Core keeps <c>%2F</c> encoded).</summary>
    private static string DecodedPath(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } target && target[0] == '/'
            ? target.Split('?', 2)[0]
            : context.Request.Path.ToUriComponent();
        return Uri.UnescapeDataString(raw);
    }

    private static async Task ProxyAsync(HttpContext context, string appId, string method)
    {
        var request = context.Request;
        var invoker = context.RequestServices.GetRequiredService<IServiceInvoker>();
        var hasBody = HasBody(context);
        HttpResponseMessage response;
        try
        {
            var path = InvocationMethod.ToUriPath(InvocationMethod.Normalize(appId, method));
            response = await invoker.InvokeAsync(
                new InvocationRequest(appId, new HttpMethod(request.Method), path + request.QueryString.ToUriComponent(),
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

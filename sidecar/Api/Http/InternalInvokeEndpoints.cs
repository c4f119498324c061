using System.Net;
using Grpc.Core;
using Sidecar.Errors;
using Sidecar.Hosting;
using Sidecar.Invocation;
using Sidecar.NameResolution;

namespace Sidecar.Api.Http;

/// <summary>
/// The route a sidecar of another process calls to reach this sidecar's app (<see cref="InternalInvocation"/>): the
/// caller already applied its resiliency policy and set Dapr's headers, so this side only checks the registration token
/// and the callee's app id, then calls the app through its channel and answers what the app answered. Its own errors
/// carry <see cref="InternalInvocation.ErrorHeader"/> so the caller tells them from the app's.
/// </summary>
internal static partial class DaprHttpApi
{
    internal static readonly DaprError InvalidInternalToken =
        new("ERR_UNAUTHORIZED", "invalid internal invocation token", HttpStatusCode.Unauthorized, StatusCode.Unauthenticated);

    private static async Task InvokeFromOtherSidecar(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<SidecarOptions>();
        var registration = context.RequestServices.GetRequiredService<NameRegistration>();
        if (!InternalInvocation.Admit(context, registration))
        {
            await WriteSidecarErrorAsync(context, InvalidInternalToken);
            return;
        }

        var callee = context.Request.Headers[DaprHeaders.CalleeAppId].FirstOrDefault();
        if (!string.Equals(callee, options.AppId, StringComparison.Ordinal))
        {
            await WriteSidecarErrorAsync(context, InvocationErrors.DirectInvoke(callee ?? "", $"the sidecar at this address serves '{options.AppId}'"));
            return;
        }

        var path = context.Request.Path.ToUriComponent();
        var method = path.Length > InternalInvocation.PathPrefix.Length ? path[(InternalInvocation.PathPrefix.Length + 1)..] : "";
        var message = new HttpRequestMessage(
            new HttpMethod(context.Request.Method), new Uri(method + context.Request.QueryString.ToUriComponent(), UriKind.Relative));
        if (HasBody(context))
        {
            message.Content = ForwardedHeaders.ContentFor(context.Request.Body, context.Request.ContentType, context.Request.ContentLength);
        }

        ForwardedHeaders.CopyTo(message, context.Request.Headers
            .Where(h => !h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            .Select(h => KeyValuePair.Create(h.Key, (IEnumerable<string>)h.Value!)));

        HttpResponseMessage response;
        try
        {
            response = await LocalAppCall.SendAsync(context.RequestServices, options.AppId, message, context.RequestAborted);
        }
        catch (DaprException e)
        {
            await WriteSidecarErrorAsync(context, e.Error);
            return;
        }
        catch (HttpRequestException e)
        {
            await WriteSidecarErrorAsync(context, InvocationErrors.DirectInvoke(options.AppId, e.Message));
            return;
        }

        await WriteAppResponseAsync(context, response, toSidecar: true);
    }

    internal static Task WriteSidecarErrorAsync(HttpContext context, DaprError error)
    {
        context.Response.Headers[InternalInvocation.ErrorHeader] = "true";
        return DaprErrorResults.WriteAsync(context, error);
    }
}

using System.Diagnostics;
using Sidecar.AppChannel;
using Sidecar.AppChannel.GrpcApp;
using Sidecar.Observability;

namespace Sidecar.Invocation;

/// <summary>
/// The last hop of every invocation: the target sidecar's app channel (so its APP_API_TOKEN applies), refused while
/// the app has no port or is unhealthy. Used for sidecars of this process and by the internal route that serves
/// callers in other processes.
/// </summary>
internal static class LocalAppCall
{
    /// <summary>
    /// Sends <paramref name="message"/> (a relative URI: the method and query) to the app behind
    /// <paramref name="sidecar"/>; disposes it when the send fails. Throws <c>DaprException</c> when the app cannot be called.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        IServiceProvider sidecar, string appId, HttpRequestMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var channel = sidecar.GetRequiredService<IAppChannel>();
            if (!channel.IsConfigured)
            {
                throw InvocationErrors.DirectInvoke(appId, "app channel is not initialized (the app has no app port)").ToException();
            }

            if (!sidecar.GetRequiredService<IAppHealth>().IsHealthy)
            {
                throw InvocationErrors.DirectInvoke(appId, "app is not in a healthy state").ToException();
            }

            // The target's sidecar records its side of the call (CallLocal, kind server) and the app becomes its child.
            using var calleeSpan = StartCalleeSpan(sidecar, appId, message);
            if (sidecar.GetRequiredService<AppCallbackClients>() is { IsConfigured: true } grpcApp)
            {
                // A gRPC app is called through AppCallback.OnInvoke; the message is read and not needed after.
                using (message)
                {
                    return await GrpcInvocation.SendAsync(grpcApp, message, cancellationToken);
                }
            }

            if (GrpcInvocation.RefusalForHttpApp(message) is { } refusal)
            {
                throw InvocationErrors.DirectInvoke(appId, refusal).ToException();
            }

            message.Headers.Remove(GrpcInvocation.TypeUrlHeader);
            return await channel.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    private static Activity? StartCalleeSpan(IServiceProvider sidecar, string appId, HttpRequestMessage message)
    {
        var method = message.RequestUri?.OriginalString.Split('?', 2)[0] ?? "";
        var span = sidecar.GetService<SidecarTelemetry>()?.StartSpan(
            $"CallLocal/{appId}/{method.TrimStart('/')}", ActivityKind.Server, Header(message, TraceContext.TraceParentHeader),
            Header(message, TraceContext.TraceStateHeader));
        if (span is not null)
        {
            span.SetTag("rpc.service", "ServiceInvocation");
            span.SetTag("dapr.invoke_method", method.TrimStart('/'));
            message.Headers.Remove(TraceContext.TraceParentHeader);
            message.Headers.TryAddWithoutValidation(TraceContext.TraceParentHeader, span.Id);
        }

        return span;
    }

    private static string? Header(HttpRequestMessage message, string name) =>
        message.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

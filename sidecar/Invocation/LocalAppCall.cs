using Sidecar.AppChannel;

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

            return await channel.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }
}

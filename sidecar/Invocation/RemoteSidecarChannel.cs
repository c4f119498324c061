using System.Net.Http.Json;
using Sidecar.AppChannel;
using Sidecar.Errors;
using Sidecar.NameResolution;

namespace Sidecar.Invocation;

/// <summary>
/// Calls sidecars of other processes over HTTP: the message goes to the target sidecar's internal route with its
/// registration token, and that sidecar calls its app. The app's answer comes back as it is; the target sidecar's own
/// errors (unhealthy app, app unreachable) become the same <c>DaprException</c> a local target would throw.
/// </summary>
internal sealed class RemoteSidecarChannel : IDisposable
{
    private readonly HttpClient _client = ForwardingHttpClient.Create();

    /// <summary>Sends <paramref name="message"/> (relative URI: method and query) to <paramref name="instance"/>'s app.</summary>
    public async Task<HttpResponseMessage> SendAsync(AppInstance instance, HttpRequestMessage message, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            var method = message.RequestUri!.OriginalString.TrimStart('/');
            InternalInvocation.Address(message, instance, $"{InternalInvocation.PathPrefix}/{method}");
            response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch
        {
            message.Dispose();
            throw;
        }

        if (!InternalInvocation.IsAnsweredBy(response, instance))
        {
            // A dead sidecar's port now held by another server: its answer is not the app's.
            response.Dispose();
            throw new SidecarGoneException($"the sidecar of {instance} is gone (something else answers at {instance.Address})");
        }

        if (!response.Headers.Contains(InternalInvocation.ErrorHeader))
        {
            return response;
        }

        using (response)
        {
            var error = await response.Content.ReadFromJsonAsync(DaprErrorJsonContext.Default.DaprErrorBody, cancellationToken);
            throw new DaprError(
                error?.ErrorCode ?? "ERR_DIRECT_INVOKE", error?.Message ?? $"the sidecar at {instance.Address} answered {(int)response.StatusCode}",
                response.StatusCode, Grpc.Core.StatusCode.Internal).ToException();
        }
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>The registered sidecar no longer answers at its address: the app was not reached.</summary>
internal sealed class SidecarGoneException(string message) : HttpRequestException(message);

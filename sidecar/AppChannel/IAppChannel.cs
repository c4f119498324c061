namespace Sidecar.AppChannel;

/// <summary>
/// The channel from the sidecar to its app (<c>http://{AppHost}:{AppPort}</c>, or <c>https://</c>, HTTP/2, gRPC by its protocol). Pub/sub delivery, subscription
/// discovery and service invocation all reach the app through it, so the app token and pooling live in one place.
/// </summary>
public interface IAppChannel
{
    /// <summary>False when the app serves nothing (no app port): nothing can be delivered or invoked.</summary>
    bool IsConfigured { get; }

    /// <summary>The app's base address, e.g. <c>http://127.0.0.1:5101/</c>.</summary>
    Uri BaseAddress { get; }

    /// <summary>An absolute URI on the app for <paramref name="pathAndQuery"/> (leading slash optional).</summary>
    Uri UriFor(string pathAndQuery);

    /// <summary>Sends a request to the app, adding <c>dapr-api-token</c> when APP_API_TOKEN is set.</summary>
    Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken);

    /// <summary>
    /// The app's gRPC callback clients when the app speaks gRPC (<c>grpc</c>, <c>grpcs</c>): deliveries, subscription
    /// discovery, invocation and health go through them instead of <see cref="SendAsync"/>. Null for HTTP apps.
    /// </summary>
    GrpcApp.AppCallbackClients? GrpcApp => null;

    /// <summary>Completes once the app port accepts TCP connections (daprd waits the same way before subscribing).</summary>
    Task WaitForAppPortAsync(CancellationToken cancellationToken);
}

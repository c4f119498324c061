using System.Collections.Concurrent;
using Dapr.Client;

namespace Orders.Infrastructure;

/// <summary>
/// One <see cref="HttpClient"/> per target app id, from <see cref="DaprClient.CreateInvokableHttpClient"/>: requests to
/// <c>http://{app-id}/path</c> go through the sidecar's service invocation (the SDK's <c>InvokeMethodAsync</c> overloads
/// are obsolete in 1.18). Cached because each call of the SDK method builds a new handler and connection pool.
/// </summary>
public sealed class AppClients(DaprClient dapr)
{
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public HttpClient For(string appId) => _clients.GetOrAdd(appId, dapr.CreateInvokableHttpClient);
}

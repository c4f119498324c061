using System.Diagnostics.CodeAnalysis;
using Sidecar.Components;

namespace Sidecar.Invocation.Endpoints;

/// <summary>
/// The <c>HTTPEndpoint</c> resources that apply to this app, read once at start (after the secret stores, which their
/// headers may need). A target is an external service when it is a URL or names one of them, as daprd decides it
/// (dapr/dapr <c>pkg/messaging/direct_messaging.go</c> Invoke, getRemoteApp): a URL first, then an endpoint name, and
/// only then an app id.
/// </summary>
internal sealed class HttpEndpointRegistry
{
    private readonly Dictionary<string, HttpEndpoint> _byName = new(StringComparer.Ordinal);

    public HttpEndpointRegistry(ResourceSet resources, ISecretStoreRegistry secretStores)
    {
        foreach (var document in resources.OfKind("HTTPEndpoint"))
        {
            _byName[document.Name] = HttpEndpointReader.Read(document, secretStores);
        }
    }

    /// <summary>
    /// The external service <paramref name="target"/> means: the endpoint of that name, or the URL itself (no headers);
    /// false for an app id.
    /// </summary>
    public bool TryFind(string target, [NotNullWhen(true)] out HttpEndpoint? endpoint)
    {
        if (HttpEndpoint.IsUrl(target))
        {
            endpoint = new HttpEndpoint(target, target, []);
            return true;
        }

        return _byName.TryGetValue(target, out endpoint);
    }
}

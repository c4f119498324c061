using Sidecar.Components;

namespace Sidecar.Invocation.Endpoints;

/// <summary>
/// Reads an <c>HTTPEndpoint</c> resource as daprd does (dapr/dapr <c>pkg/apis/httpEndpoint/v1alpha1/types.go</c>,
/// <c>pkg/runtime/processor/httpendpoint.go</c>): <c>spec.baseUrl</c> is required; each <c>spec.headers</c> item has a
/// <c>name</c> and a <c>value</c> or a <c>secretKeyRef</c> read through <c>auth.secretStore</c>. Anything wrong
/// stops the start naming file and line. <c>spec.clientTLS</c> is refused by field name: the local sidecar presents
/// no client certificate and trusts only the machine's roots.
/// </summary>
internal static class HttpEndpointReader
{
    public static HttpEndpoint Read(ResourceDocument document, ISecretStoreRegistry secretStores)
    {
        var where = $"{document.Location}: HTTPEndpoint '{document.Name}'";
        if (document.Spec.TryGetValue("clientTLS", out var tls) && tls is not null)
        {
            var fields = tls is IReadOnlyDictionary<string, object?> map && map.Count > 0 ? string.Join(", ", map.Keys.Select(k => "clientTLS." + k)) : "clientTLS";
            throw new ResourceLoadException($"{where}: {fields} is not supported by the local sidecar (no client certificates or custom root CAs); remove it");
        }

        if (document.Spec.GetValueOrDefault("baseUrl") is not string { Length: > 0 } baseUrl)
        {
            throw new ResourceLoadException($"{where} has no 'spec.baseUrl'");
        }

        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ResourceLoadException($"{where}: 'spec.baseUrl' must be an absolute http:// or https:// URL, not '{baseUrl}'");
        }

        return new HttpEndpoint(document.Name, baseUrl, ReadHeaders(document, where, secretStores));
    }

    private static List<KeyValuePair<string, string>> ReadHeaders(ResourceDocument document, string where, ISecretStoreRegistry secretStores)
    {
        var headers = new List<KeyValuePair<string, string>>();
        switch (document.Spec.GetValueOrDefault("headers"))
        {
            case null:
                return headers;
            case IReadOnlyList<object?> items:
                foreach (var item in items)
                {
                    headers.Add(ReadHeader(item as IReadOnlyDictionary<string, object?>, document, where, secretStores));
                }

                return headers;
            default:
                throw new ResourceLoadException($"{where}: 'spec.headers' must be a list of name/value items");
        }
    }

    private static KeyValuePair<string, string> ReadHeader(
        IReadOnlyDictionary<string, object?>? item, ResourceDocument document, string where, ISecretStoreRegistry secretStores)
    {
        if (item?.GetValueOrDefault("name") is not string { Length: > 0 } name)
        {
            throw new ResourceLoadException($"{where}: every item of 'spec.headers' needs a 'name'");
        }

        return item.GetValueOrDefault("secretKeyRef") switch
        {
            IReadOnlyDictionary<string, object?> reference => KeyValuePair.Create(name, ReadSecret(reference, name, document, where, secretStores)),
            null when item.GetValueOrDefault("value") is string value => KeyValuePair.Create(name, value),
            null => throw new ResourceLoadException($"{where}: header '{name}' needs a text 'value' or a 'secretKeyRef'"),
            _ => throw new ResourceLoadException($"{where}: 'secretKeyRef' of header '{name}' needs a 'name' (and optionally a 'key')"),
        };
    }

    /// <summary>Like a component's <c>secretKeyRef</c> (<see cref="SecretReferences"/>): a missing store or key stops the start.</summary>
    private static string ReadSecret(
        IReadOnlyDictionary<string, object?> reference, string header, ResourceDocument document, string where, ISecretStoreRegistry secretStores)
    {
        if (reference.GetValueOrDefault("name") is not string { Length: > 0 } secretName)
        {
            throw new ResourceLoadException($"{where}: 'secretKeyRef' of header '{header}' needs a 'name' (and optionally a 'key')");
        }

        if (document.SecretStore is not { } storeName)
        {
            throw new ResourceLoadException(
                $"{where}: header '{header}' uses secretKeyRef, but the resource names no secret store: add 'auth: secretStore: <name>' (self-hosted daprd has no default store)");
        }

        if (!secretStores.TryGetSecretStore(storeName, out var store))
        {
            throw new ResourceLoadException($"{where} reads its secrets from secret store '{storeName}', which is not defined for this app");
        }

        IReadOnlyDictionary<string, string> secret;
        try
        {
            secret = store.GetAsync(secretName, new Dictionary<string, string>(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        catch (Components.SecretStores.SecretStoreException ex)
        {
            throw new ResourceLoadException($"{where}, header '{header}': secret '{secretName}' of secret store '{storeName}' cannot be read: {ex.Message}", ex);
        }

        var key = reference.GetValueOrDefault("key") is string { Length: > 0 } k ? k : secretName;
        return secret.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new ResourceLoadException($"{where}, header '{header}': secret '{secretName}' of secret store '{storeName}' has no key '{key}'");
    }
}

using Sidecar.Components.SecretStores;

namespace Sidecar.Components;

/// <summary>
/// Resolves the <c>secretKeyRef</c> metadata of a component through its <c>auth.secretStore</c> before the component
/// is created, as daprd does. Where daprd logs and starts the component without the value, the local sidecar fails the
/// start naming file, component and secret (never the value): a component started without its password fails later
/// and less clearly.
/// </summary>
internal static class SecretReferences
{
    /// <summary><paramref name="definition"/> with every secret reference replaced by its value.</summary>
    public static ComponentDefinition Resolve(ComponentDefinition definition, IReadOnlyDictionary<string, ISecretStore> stores)
    {
        if (definition.SecretRefs.Count == 0)
        {
            return definition;
        }

        var where = $"{definition.SourceFile}: component '{definition.Name}' ({definition.Type})";
        if (definition.SecretStore is not { } storeName)
        {
            var first = definition.SecretRefs.First();
            throw ResourceLoadException.At(definition.SourceFile, first.Value.Line,
                $"metadata '{first.Key}' of component '{definition.Name}' uses secretKeyRef, but the component names no secret store: add 'auth: secretStore: <name>' (self-hosted daprd has no default store)");
        }

        if (!stores.TryGetValue(storeName, out var store))
        {
            throw new ResourceLoadException($"{where} reads its secrets from secret store '{storeName}', which is not defined for this app");
        }

        var metadata = new Dictionary<string, string>(definition.Metadata, StringComparer.Ordinal);
        var cache = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (name, reference) in definition.SecretRefs)
        {
            var at = $"{definition.SourceFile}:{reference.Line}: component '{definition.Name}' ({definition.Type}), metadata '{name}'";
            if (!cache.TryGetValue(reference.Name, out var secret))
            {
                try
                {
                    secret = store.GetAsync(reference.Name, new Dictionary<string, string>(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
                }
                catch (SecretStoreException ex)
                {
                    throw new ResourceLoadException($"{at}: secret '{reference.Name}' of secret store '{storeName}' cannot be read: {ex.Message}", ex);
                }

                cache[reference.Name] = secret;
            }

            var key = reference.Key.Length > 0 ? reference.Key : reference.Name;
            if (!secret.TryGetValue(key, out var value) || value.Length == 0)
            {
                throw new ResourceLoadException($"{at}: secret '{reference.Name}' of secret store '{storeName}' has no key '{key}'");
            }

            metadata[name] = value;
        }

        return definition with { Metadata = metadata };
    }
}

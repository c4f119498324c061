using Sidecar.Components;
using Sidecar.Components.SecretStores;

namespace Sidecar.Secrets;

/// <summary>The secrets building block, shared by the HTTP and gRPC surfaces.</summary>
internal interface ISecretsApi
{
    /// <summary>The pairs of secret <paramref name="key"/> in <paramref name="store"/>, if the app may read it.</summary>
    Task<IReadOnlyDictionary<string, string>> GetAsync(
        string store, string key, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>Every secret of <paramref name="store"/> the app may read; the others are left out silently, as daprd does.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> GetBulkAsync(
        string store, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);
}

/// <summary>Store lookup, the Configuration's secret scopes and the translation of store failures, as daprd's universal API.</summary>
internal sealed class SecretsApi(ISecretStoreRegistry stores, SecretScopes scopes) : ISecretsApi
{
    public async Task<IReadOnlyDictionary<string, string>> GetAsync(
        string store, string key, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var instance = Resolve(store);
        if (!scopes.IsAllowed(store, key))
        {
            throw SecretsErrors.PermissionDenied(key, store).ToException();
        }

        try
        {
            return await instance.GetAsync(key, metadata, cancellationToken);
        }
        catch (SecretStoreException ex)
        {
            throw SecretsErrors.Get(key, store, ex).ToException();
        }
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> GetBulkAsync(
        string store, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var instance = Resolve(store);
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> all;
        try
        {
            all = await instance.GetBulkAsync(metadata, cancellationToken);
        }
        catch (SecretStoreException ex)
        {
            throw SecretsErrors.GetBulk(store, ex).ToException();
        }

        return all.Where(s => scopes.IsAllowed(store, s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
    }

    private ISecretStore Resolve(string store)
    {
        if (stores.SecretStoreNames.Count == 0)
        {
            throw SecretsErrors.NotConfigured().ToException();
        }

        return stores.TryGetSecretStore(store, out var instance) ? instance : throw SecretsErrors.StoreNotFound(store).ToException();
    }
}

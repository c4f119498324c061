using System.Collections.Concurrent;
using Sidecar.Components;
using Sidecar.Components.Configuration;

namespace Sidecar.Configuration;

/// <summary>The configuration building block, shared by the HTTP and gRPC surfaces.</summary>
internal interface IConfigurationApi
{
    /// <summary>The items of <paramref name="keys"/> in <paramref name="store"/> (all when empty).</summary>
    Task<IReadOnlyDictionary<string, ConfigurationItem>> GetAsync(
        string store, IReadOnlyList<string> keys, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>Subscribes to changes of <paramref name="keys"/> (all when empty); returns the subscription id.</summary>
    Task<string> SubscribeAsync(
        string store, IReadOnlyList<string> keys, IReadOnlyDictionary<string, string> metadata,
        Func<ConfigurationUpdate, CancellationToken, Task> onChange, CancellationToken cancellationToken);

    /// <summary>Ends subscription <paramref name="id"/> of <paramref name="store"/> in the store.</summary>
    Task UnsubscribeAsync(string store, string id, CancellationToken cancellationToken);
}

/// <summary>
/// Store lookup and the translation of store failures, as daprd's API does; every subscription still open when the
/// sidecar stops is ended, so a store shared by the run (embedded) keeps no handler of a stopped sidecar.
/// </summary>
internal sealed class ConfigurationApi(IConfigurationStoreRegistry stores) : IConfigurationApi, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, IConfigurationStore> _open = new(StringComparer.Ordinal);

    public async Task<IReadOnlyDictionary<string, ConfigurationItem>> GetAsync(
        string store, IReadOnlyList<string> keys, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var instance = Resolve(store);
        try
        {
            return await instance.GetAsync(keys, metadata, cancellationToken);
        }
        catch (ConfigurationStoreException ex)
        {
            throw ConfigurationErrors.Get(keys, store, ex).ToException();
        }
    }

    public async Task<string> SubscribeAsync(
        string store, IReadOnlyList<string> keys, IReadOnlyDictionary<string, string> metadata,
        Func<ConfigurationUpdate, CancellationToken, Task> onChange, CancellationToken cancellationToken)
    {
        var instance = Resolve(store);
        string id;
        try
        {
            id = await instance.SubscribeAsync(keys, metadata, onChange, cancellationToken);
        }
        catch (ConfigurationStoreException ex)
        {
            throw ConfigurationErrors.Subscribe(keys, store, ex).ToException();
        }

        _open[id] = instance;
        return id;
    }

    public async Task UnsubscribeAsync(string store, string id, CancellationToken cancellationToken)
    {
        var instance = Resolve(store);
        try
        {
            await instance.UnsubscribeAsync(id, cancellationToken);
            _open.TryRemove(id, out _);
        }
        catch (ConfigurationStoreException ex)
        {
            throw ConfigurationErrors.Unsubscribe(id, ex.Message).ToException();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _open.Keys.ToList())
        {
            if (_open.TryRemove(id, out var instance))
            {
                try
                {
                    await instance.UnsubscribeAsync(id, CancellationToken.None);
                }
                catch (ConfigurationStoreException)
                {
                    // Already ended in the store (e.g. the store was disposed first): nothing left to end.
                }
            }
        }
    }

    private IConfigurationStore Resolve(string store)
    {
        if (stores.ConfigurationStoreNames.Count == 0)
        {
            throw ConfigurationErrors.NotConfigured().ToException();
        }

        return stores.TryGetConfigurationStore(store, out var instance) ? instance : throw ConfigurationErrors.StoreNotFound(store).ToException();
    }
}

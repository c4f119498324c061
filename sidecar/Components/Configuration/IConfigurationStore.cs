namespace Sidecar.Components.Configuration;

/// <summary>
/// A configuration store component (<c>configuration.*</c>), as components-contrib's <c>configuration.Store</c>: read
/// items by key, and subscribe to their changes under an id the store hands out.
/// </summary>
public interface IConfigurationStore
{
    /// <summary>The items of <paramref name="keys"/> that exist (every item when <paramref name="keys"/> is empty).</summary>
    Task<IReadOnlyDictionary<string, ConfigurationItem>> GetAsync(
        IReadOnlyList<string> keys, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>
    /// Starts watching <paramref name="keys"/> (every key when empty) and returns the subscription's id; each change is
    /// handed to <paramref name="onChange"/> until <see cref="UnsubscribeAsync"/> or disposal.
    /// </summary>
    Task<string> SubscribeAsync(
        IReadOnlyList<string> keys, IReadOnlyDictionary<string, string> metadata,
        Func<ConfigurationUpdate, CancellationToken, Task> onChange, CancellationToken cancellationToken);

    /// <summary>Stops subscription <paramref name="id"/>; throws <see cref="ConfigurationStoreException"/> when there is none.</summary>
    Task UnsubscribeAsync(string id, CancellationToken cancellationToken);
}

/// <summary>One configuration item: its value, version and metadata (components-contrib's <c>configuration.Item</c>).</summary>
public sealed record ConfigurationItem(string Value, string Version, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The item a deleted key is reported as: everything empty.</summary>
    public static ConfigurationItem Empty { get; } = new("", "", new Dictionary<string, string>());
}

/// <summary>A change seen by subscription <paramref name="Id"/>: the changed keys with their items now.</summary>
public sealed record ConfigurationUpdate(string Id, IReadOnlyDictionary<string, ConfigurationItem> Items);

/// <summary>A store failure; the message names what failed, never a credential.</summary>
public sealed class ConfigurationStoreException(string message, Exception? inner = null) : Exception(message, inner);

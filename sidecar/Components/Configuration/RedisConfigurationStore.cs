using System.Collections.Concurrent;
using Sidecar.Components.Redis;
using StackExchange.Redis;

namespace Sidecar.Components.Configuration;

/// <summary>
/// <c>configuration.redis</c> as components-contrib serves it: items are string keys (<c>value||version</c>); a
/// subscription listens on the keyspace channel of each key (a pattern of all keys when none is named), reads the key
/// again on each notification and reports it (a deleted key as an empty item). Subscribing sets the server's
/// <c>notify-keyspace-events</c> to <c>Kg$xe</c> when the server allows it, as contrib does; a server that refuses
/// (a managed Redis) must have it set already.
/// </summary>
internal sealed partial class RedisConfigurationStore : IConfigurationStore, IAsyncDisposable
{
    public const string Type = "configuration.redis";

    private const string KeyspaceEvents = "Kg$xe";

    private readonly IConnectionMultiplexer _connection;
    private readonly IDatabase _database;
    private readonly int _databaseNumber;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, IReadOnlyList<ChannelMessageQueue>> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConfigurationOptions _adminOptions;
    private int _keyspaceEventsSet;

    public RedisConfigurationStore(
        IConnectionMultiplexer connection, RedisSettings settings, int database, ILogger<RedisConfigurationStore> logger)
    {
        _connection = connection;
        // CONFIG is an admin command, refused on the shared connection; one short admin connection sends it.
        _adminOptions = settings.ToOptions();
        _adminOptions.AllowAdmin = true;
        _adminOptions.ClientName = "dapr-local-configuration";
        _databaseNumber = database;
        _database = connection.GetDatabase(database);
        _logger = logger;
    }

    /// <summary>The factory registered for <see cref="Type"/>: the run-wide shared connection of the component's Redis.</summary>
    public static RedisConfigurationStore Create(ComponentContext context)
    {
        var settings = RedisSettings.From(context.Definition);
        var connection = RedisConnections.Connect(context, settings);
        return new RedisConfigurationStore(
            connection, settings, settings.Database, context.Services.GetRequiredService<ILogger<RedisConfigurationStore>>());
    }

    public async Task<IReadOnlyDictionary<string, ConfigurationItem>> GetAsync(
        IReadOnlyList<string> keys, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        try
        {
            var names = keys.Count > 0 ? keys : await AllKeysAsync();
            var items = new Dictionary<string, ConfigurationItem>(StringComparer.Ordinal);
            foreach (var key in names)
            {
                if (await ReadAsync(key) is { } item)
                {
                    items[key] = item;
                }
            }

            return items;
        }
        catch (RedisException ex)
        {
            throw new ConfigurationStoreException($"redis: {ex.Message}", ex);
        }
    }

    public async Task<string> SubscribeAsync(
        IReadOnlyList<string> keys, IReadOnlyDictionary<string, string> metadata,
        Func<ConfigurationUpdate, CancellationToken, Task> onChange, CancellationToken cancellationToken)
    {
        await EnableKeyspaceEventsAsync();
        var id = Guid.NewGuid().ToString();
        var channels = keys.Count == 0
            ? [RedisChannel.Pattern(RedisConfigurationValue.Channel("*", _databaseNumber))]
            : keys.Distinct(StringComparer.Ordinal).Select(k => RedisChannel.Literal(RedisConfigurationValue.Channel(k, _databaseNumber))).ToList();
        var subscriber = _connection.GetSubscriber();
        var queues = new List<ChannelMessageQueue>();
        try
        {
            foreach (var channel in channels)
            {
                var queue = await subscriber.SubscribeAsync(channel);
                // OnMessage handles one message at a time, in order, so a key's changes reach the app in order.
                queue.OnMessage(message => NotifyAsync(id, message.Channel.ToString(), onChange));
                queues.Add(queue);
            }
        }
        catch (RedisException ex)
        {
            await UnsubscribeAllAsync(queues);
            throw new ConfigurationStoreException($"redis: {ex.Message}", ex);
        }

        _subscriptions[id] = queues;
        return id;
    }

    public async Task UnsubscribeAsync(string id, CancellationToken cancellationToken)
    {
        if (!_subscriptions.TryRemove(id, out var queues))
        {
            throw new ConfigurationStoreException($"subscription with id {id} does not exist");
        }

        await UnsubscribeAllAsync(queues);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _subscriptions.Keys.ToList())
        {
            if (_subscriptions.TryRemove(id, out var queues))
            {
                await UnsubscribeAllAsync(queues);
            }
        }
    }

    private async Task NotifyAsync(string id, string channel, Func<ConfigurationUpdate, CancellationToken, Task> onChange)
    {
        if (RedisConfigurationValue.KeyOf(channel, _databaseNumber) is not { } key || !_subscriptions.ContainsKey(id))
        {
            return;
        }

        try
        {
            var item = await ReadAsync(key) ?? ConfigurationItem.Empty;
            await onChange(new ConfigurationUpdate(id, new Dictionary<string, ConfigurationItem>(StringComparer.Ordinal) { [key] = item }), CancellationToken.None);
        }
        catch (Exception ex) when (ex is RedisException or HttpRequestException or OperationCanceledException)
        {
            LogNotifyFailed(_logger, key, ex.Message);
        }
    }

    /// <summary>The item under <paramref name="key"/>; null when missing, empty or not a string, which contrib skips.</summary>
    private async Task<ConfigurationItem?> ReadAsync(string key)
    {
        RedisValue stored;
        try
        {
            stored = await _database.StringGetAsync(key);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal))
        {
            return null;
        }

        if (stored.IsNull)
        {
            return null;
        }

        var (value, version) = RedisConfigurationValue.Parse(stored.ToString());
        return value.Length == 0 ? null : new ConfigurationItem(value, version, new Dictionary<string, string>());
    }

    /// <summary>Every key of the database (contrib sends KEYS *; SCAN gives the same without blocking the server).</summary>
    private async Task<IReadOnlyList<string>> AllKeysAsync()
    {
        var keys = new List<string>();
        var server = _connection.GetServers().First(s => !s.IsReplica);
        await foreach (var key in server.KeysAsync(_databaseNumber, "*"))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }

    private async Task EnableKeyspaceEventsAsync()
    {
        if (Interlocked.Exchange(ref _keyspaceEventsSet, 1) == 1)
        {
            return;
        }

        try
        {
            await using var admin = await ConnectionMultiplexer.ConnectAsync(_adminOptions);
            foreach (var server in admin.GetServers())
            {
                await server.ConfigSetAsync("notify-keyspace-events", KeyspaceEvents);
            }
        }
        catch (Exception ex) when (ex is RedisException or RedisCommandException)
        {
            LogKeyspaceEventsRefused(_logger, ex.Message);
        }
    }

    private static async Task UnsubscribeAllAsync(IEnumerable<ChannelMessageQueue> queues)
    {
        foreach (var queue in queues)
        {
            await queue.UnsubscribeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "configuration.redis: could not set notify-keyspace-events ({Problem}); changes are seen only if the server already sends keyspace events")]
    private static partial void LogKeyspaceEventsRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "configuration.redis: change of key '{Key}' not delivered: {Problem}")]
    private static partial void LogNotifyFailed(ILogger logger, string key, string problem);
}

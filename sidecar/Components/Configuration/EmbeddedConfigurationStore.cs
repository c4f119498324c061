using System.Collections.Concurrent;

namespace Sidecar.Components.Configuration;

/// <summary>
/// The configuration store <c>--embedded</c> serves every <c>configuration.*</c> component with: the items of one store
/// (the component's name) in the run's SQLite file (<see cref="SqliteConfigurationTable"/>), set with
/// <c>dapr-local configuration set</c> or by any SQLite client. Subscriptions are served by looking for changed rows
/// every <see cref="PollInterval"/>, so a change written by another process is seen too.
/// </summary>
internal sealed partial class EmbeddedConfigurationStore : IConfigurationStore, IAsyncDisposable
{
    /// <summary>How often subscriptions look for changes.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly SqliteConfigurationTable _table;
    private readonly string _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _pollGate = new(1, 1);
    private Task? _poller;
    private long _seen;

    public EmbeddedConfigurationStore(SqliteConfigurationTable table, string store, TimeProvider time, ILogger<EmbeddedConfigurationStore> logger)
    {
        _table = table;
        _store = store;
        _time = time;
        _logger = logger;
    }

    public async Task<IReadOnlyDictionary<string, ConfigurationItem>> GetAsync(
        IReadOnlyList<string> keys, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var rows = await _table.ReadAsync(_store, keys, cancellationToken);
        return rows.ToDictionary(r => r.Key, r => new ConfigurationItem(r.Value!, r.Version, new Dictionary<string, string>()), StringComparer.Ordinal);
    }

    public async Task<string> SubscribeAsync(
        IReadOnlyList<string> keys, IReadOnlyDictionary<string, string> metadata,
        Func<ConfigurationUpdate, CancellationToken, Task> onChange, CancellationToken cancellationToken)
    {
        await _pollGate.WaitAsync(cancellationToken);
        try
        {
            if (_poller is null)
            {
                // Changes count from the first subscription on; what was written before is read with GetAsync.
                _seen = await _table.LastSequenceAsync(cancellationToken);
                _poller = Task.Run(() => PollAsync(_stop.Token), CancellationToken.None);
            }

            var id = Guid.NewGuid().ToString();
            _subscriptions[id] = new Subscription(id, keys.ToHashSet(StringComparer.Ordinal), onChange);
            return id;
        }
        finally
        {
            _pollGate.Release();
        }
    }

    public Task UnsubscribeAsync(string id, CancellationToken cancellationToken) =>
        _subscriptions.TryRemove(id, out _)
            ? Task.CompletedTask
            : throw new ConfigurationStoreException($"subscription with id {id} does not exist");

    public async ValueTask DisposeAsync()
    {
        _subscriptions.Clear();
        await _stop.CancelAsync();
        if (_poller is not null)
        {
            await _poller;
        }

        _stop.Dispose();
        _pollGate.Dispose();
    }

    private async Task PollAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(PollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await DeliverChangesAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverChangesAsync(CancellationToken stop)
    {
        IReadOnlyList<SqliteConfigurationTable.Row> rows;
        try
        {
            rows = await _table.ChangedSinceAsync(_store, _seen, stop);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            LogPollFailed(_logger, _store, ex.Message);
            return;
        }

        foreach (var row in rows)
        {
            _seen = row.Sequence;
            var item = row.Value is null ? ConfigurationItem.Empty : new ConfigurationItem(row.Value, row.Version, new Dictionary<string, string>());
            foreach (var subscription in _subscriptions.Values.Where(s => s.Keys.Count == 0 || s.Keys.Contains(row.Key)))
            {
                var items = new Dictionary<string, ConfigurationItem>(StringComparer.Ordinal) { [row.Key] = item };
                await subscription.OnChange(new ConfigurationUpdate(subscription.Id, items), stop);
            }
        }
    }

    private sealed record Subscription(string Id, HashSet<string> Keys, Func<ConfigurationUpdate, CancellationToken, Task> OnChange);

    [LoggerMessage(Level = LogLevel.Warning, Message = "embedded configuration store '{Store}': could not read changes: {Problem}")]
    private static partial void LogPollFailed(ILogger logger, string store, string problem);
}

using System.Collections.Concurrent;
using System.Threading.Channels;
using Sidecar.Components;
using Sidecar.Components.State;
using Sidecar.Hosting;
using Sidecar.PubSub.Publishing;

namespace Sidecar.State.Outbox;

/// <summary>
/// Publishes the events of committed outbox transactions. Each event travels as a record written in the transaction
/// itself (see <see cref="OutboxPlan"/>), so it exists exactly when the transaction committed: nothing is published
/// for a transaction that failed, and a crash between commit and publish loses nothing, because at start the relay
/// scans the store for records left behind. Before each publish it re-reads the record (one already published and
/// removed is skipped); after the publish it removes the record. A failed publish is retried with backoff (0.5 s
/// doubling to 30 s) until it succeeds or the sidecar stops (the record stays for the next start): delivery is at
/// least once, as daprd's, and subscribers dedupe by the CloudEvent id.
/// </summary>
internal sealed partial class OutboxRelay(
    IStateStoreRegistry stores, IPubSubRegistry pubSubs, IPublisher publisher, SidecarOptions options, ILogger<OutboxRelay> logger)
    : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _queued = new(StringComparer.Ordinal);
    private readonly Lazy<Dictionary<string, OutboxSettings>> _settings = new(() => stores.StateStoreNames
        .Select(name => (name, settings: OutboxSettings.From(stores.FindStateStore(name)!.Definition)))
        .Where(s => s.settings is not null)
        .ToDictionary(s => s.name, s => s.settings!, StringComparer.Ordinal));

    /// <summary>The outbox of state store <paramref name="store"/>, or null when it has none.</summary>
    public OutboxSettings? SettingsFor(string store) => Settings().GetValueOrDefault(store);

    /// <summary>Hands over the events of a committed transaction on <paramref name="store"/>.</summary>
    public void Enqueue(string store, IEnumerable<OutboxEvent> events)
    {
        foreach (var outboxEvent in events)
        {
            Queue(new Pending(store, outboxEvent.RecordKey, 0));
        }
    }

    /// <summary>After a failed transaction: removes the records a store that does not roll back (Redis) may have kept.</summary>
    public async Task ForgetAsync(IStateStore store, IEnumerable<OutboxEvent> events)
    {
        foreach (var outboxEvent in events)
        {
            try
            {
                await store.DeleteAsync(new StateDeleteOperation(outboxEvent.RecordKey, null, Concurrency.LastWrite), CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogForgetFailed(logger, outboxEvent.RecordKey, ex.Message);
            }
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Checked before the sidecar serves: an outbox that cannot publish fails the start, naming the component.
        foreach (var (name, settings) in Settings())
        {
            var definition = stores.FindStateStore(name)!.Definition;
            if (pubSubs.FindPubSub(settings.PublishPubSub) is null)
            {
                throw new ResourceLoadException(
                    $"{definition.Location}: component '{name}' ({definition.Type}) has {OutboxSettings.PublishPubSubKey} '{settings.PublishPubSub}', which is not a pub/sub component of app '{options.AppId}'");
            }

            if (settings.CoordinationPubSub is { } coordination && pubSubs.FindPubSub(coordination) is null)
            {
                throw new ResourceLoadException(
                    $"{definition.Location}: component '{name}' ({definition.Type}) has {OutboxSettings.CoordinationPubSubKey} '{coordination}', which is not a pub/sub component of app '{options.AppId}'");
            }

            if (stores.FindStateStore(name)!.Instance is not IStateKeyScan)
            {
                throw new ResourceLoadException(
                    $"{definition.Location}: component '{name}' ({definition.Type}) cannot hold a transactional outbox in the local sidecar");
            }
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        await RecoverAsync(stoppingToken);
        await foreach (var pending in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            await PublishAsync(pending, stoppingToken);
        }
    }

    /// <summary>
    /// Records left by an earlier run (committed, not yet published) are published first. A scan that fails (a store
    /// still busy or unreachable at start) is tried again with the publish backoff: giving up would leave those events
    /// unpublished until the next start.
    /// </summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var name in Settings().Keys)
        {
            var store = (IStateKeyScan)stores.FindStateStore(name)!.Instance;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var keys = await store.KeysWithPrefixAsync(OutboxPlan.RecordPrefix(options.AppId, name), cancellationToken);
                    foreach (var key in keys)
                    {
                        Queue(new Pending(name, key, 0));
                    }

                    if (keys.Count > 0)
                    {
                        LogRecovered(logger, keys.Count, name);
                    }

                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    var delay = RetryDelay(attempt);
                    LogScanFailed(logger, name, delay.TotalSeconds, ex.Message);
                    await Task.Delay(delay, cancellationToken);
                }
            }
        }
    }

    private async Task PublishAsync(Pending pending, CancellationToken cancellationToken)
    {
        var registered = stores.FindStateStore(pending.Store)!;
        var store = (IStateStore)registered.Instance;
        var settings = SettingsFor(pending.Store)!;
        try
        {
            var record = await store.GetAsync(pending.RecordKey, cancellationToken);
            if (record is not null)
            {
                await publisher.PublishAsync(
                    new PublishRequest(settings.PublishPubSub, settings.PublishTopic, record.Value, CloudEventBuilder.CloudEventContentType, NoMetadata),
                    cancellationToken);
                await store.DeleteAsync(new StateDeleteOperation(pending.RecordKey, null, Concurrency.LastWrite), cancellationToken);
            }

            _queued.TryRemove(pending.RecordKey, out _);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var delay = RetryDelay(pending.Attempt);
            LogPublishFailed(logger, pending.RecordKey, settings.PublishPubSub, settings.PublishTopic, delay.TotalSeconds, ex.Message);
            _ = RetryLaterAsync(pending with { Attempt = pending.Attempt + 1 }, delay, cancellationToken);
        }
    }

    private async Task RetryLaterAsync(Pending pending, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the record stays in the store and is found again at the next start.
        }
    }

    private static TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(attempt, 16)));

    private void Queue(Pending pending)
    {
        if (_queued.TryAdd(pending.RecordKey, 0))
        {
            _queue.Writer.TryWrite(pending);
        }
    }

    private Dictionary<string, OutboxSettings> Settings() => _settings.Value;

    private sealed record Pending(string Store, string RecordKey, int Attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "outbox: publishing {Record} to {PubSub}/{Topic} failed, retrying in {Seconds} s: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, string record, string pubSub, string topic, double seconds, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "outbox: {Count} committed event(s) of {Store} left by an earlier run are being published")]
    private static partial void LogRecovered(ILogger logger, int count, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "outbox: cannot list the records of {Store}, retrying in {Seconds} s: {Error}")]
    private static partial void LogScanFailed(ILogger logger, string store, double seconds, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "outbox: cannot remove record {Record} of a failed transaction: {Error}")]
    private static partial void LogForgetFailed(ILogger logger, string record, string error);
}

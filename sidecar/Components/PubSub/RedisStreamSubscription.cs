using StackExchange.Redis;

namespace Sidecar.Components.PubSub;

/// <summary>
/// One topic read by one consumer group for <see cref="RedisStreamsPubSub"/>: a loop reading new entries (XREADGROUP
/// <c>&gt;</c>), a loop reclaiming entries pending longer than <c>processingTimeout</c>, and the settling of each
/// delivery. Reads poll instead of blocking because the connection is multiplexed: a blocking XREADGROUP would stall
/// every other command of the run behind it.
/// </summary>
internal sealed partial class RedisStreamSubscription : IAsyncDisposable
{
    private static readonly TimeSpan FirstIdlePoll = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LastIdlePoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(1);

    private readonly RedisStreamsPubSub _broker;
    private readonly string _topic;
    private readonly string _group;
    private readonly Func<PubSubMessage, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stop;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private int _inFlight;
    private TaskCompletionSource? _drained;
    private Task _loops = Task.CompletedTask;

    public RedisStreamSubscription(
        RedisStreamsPubSub broker, string topic, string group, Func<PubSubMessage, CancellationToken, Task> handler,
        CancellationToken brokerDisposed, ILogger logger)
    {
        _broker = broker;
        _topic = topic;
        _group = group;
        _handler = handler;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(brokerDisposed);
        _logger = logger;
    }

    private RedisStreamsSettings Settings => _broker.Settings;

    private IDatabase Database => _broker.Database;

    public void Start() => _loops = Task.WhenAll(Task.Run(ReadNewAsync), Task.Run(ReclaimPendingAsync));

    /// <summary>Stops reading; deliveries in flight are cancelled and waited for, and their messages stay pending.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested && _loops.IsCompleted && Volatile.Read(ref _inFlight) == 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loops;
        Task drained;
        lock (_gate)
        {
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inFlight == 0)
            {
                _drained.TrySetResult();
            }

            drained = _drained.Task;
        }

        await drained;
        await ForgetConsumerIfIdleAsync();
    }

    /// <summary>
    /// Each sidecar instance reads under a new consumer name; on a clean stop the name is removed from the group unless
    /// it still holds pending entries (XGROUP DELCONSUMER would drop them, so those wait to be claimed by another).
    /// </summary>
    private async Task ForgetConsumerIfIdleAsync()
    {
        try
        {
            var pending = await Database.StreamPendingMessagesAsync(_topic, _group, 1, _broker.ConsumerName);
            if (pending.Length == 0)
            {
                await Database.StreamDeleteConsumerAsync(_topic, _group, _broker.ConsumerName);
            }
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            // Only bookkeeping: a leftover consumer name without pending entries costs nothing.
        }
    }

    /// <summary>Delivers one entry (on a worker) and settles it: acknowledged unless the delivery was interrupted.</summary>
    public async Task HandleAsync(StreamWork work)
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return; // not acknowledged: pending, reclaimed by whoever reads the group next
            }

            _inFlight++;
        }

        try
        {
            using var timeout = Settings.RedeliveryEnabled
                ? new CancellationTokenSource(Settings.ProcessingTimeout, _broker.Time)
                : new CancellationTokenSource();
            using var token = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, timeout.Token);
            try
            {
                await _handler(work.Message, token.Token);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                // Stopped, or slower than processingTimeout: left pending, as contrib does, to be redelivered.
                LogLeftPending(work.Id, _topic, _group);
                return;
            }
            catch (Exception ex)
            {
                // The delivery layer has applied retries and dead letters already; contrib acknowledges (since v1.17).
                LogFailed(work.Id, _topic, _group, ex.Message);
            }

            await AcknowledgeAsync(work.Id);
        }
        finally
        {
            lock (_gate)
            {
                if (--_inFlight == 0 && _stop.IsCancellationRequested)
                {
                    _drained?.TrySetResult();
                }
            }
        }
    }

    private async Task AcknowledgeAsync(string id)
    {
        try
        {
            await Database.StreamAcknowledgeAsync(_topic, _group, id);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            // Not acknowledged: it stays pending and is delivered again after processingTimeout (at least once).
            LogAckFailed(id, _topic, ex.Message);
        }
    }

    private async Task ReadNewAsync()
    {
        var token = _stop.Token;
        var idle = FirstIdlePoll;
        try
        {
            await EnsureGroupAsync(token);
            while (!token.IsCancellationRequested)
            {
                StreamEntry[] entries;
                try
                {
                    entries = await Database.StreamReadGroupAsync(_topic, _group, _broker.ConsumerName, StreamPosition.NewMessages, Settings.QueueDepth);
                }
                catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
                {
                    // The stream or group was deleted (or the server lost its data): recreate it, as contrib does.
                    LogGroupMissing(_group, _topic);
                    await EnsureGroupAsync(token);
                    continue;
                }
                catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
                {
                    LogReadFailed(_topic, ex.Message);
                    await Task.Delay(ErrorPause, _broker.Time, token);
                    continue;
                }

                if (entries.Length == 0)
                {
                    await Task.Delay(idle, _broker.Time, token);
                    idle = idle * 2 < LastIdlePoll ? idle * 2 : LastIdlePoll;
                    continue;
                }

                idle = FirstIdlePoll;
                await EnqueueAsync(entries, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Unsubscribed.
        }
    }

    private async Task ReclaimPendingAsync()
    {
        if (!Settings.RedeliveryEnabled)
        {
            return;
        }

        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                try
                {
                    await ReclaimOnceAsync(token);
                }
                catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
                {
                    LogReclaimFailed(_topic, ex.Message);
                }

                await Task.Delay(Settings.RedeliverInterval, _broker.Time, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Unsubscribed.
        }
    }

    /// <summary>Claims for this consumer every entry of the group pending longer than processingTimeout, page by page.</summary>
    private async Task ReclaimOnceAsync(CancellationToken token)
    {
        var minIdle = (long)Settings.ProcessingTimeout.TotalMilliseconds;
        RedisValue start = "-";
        while (!token.IsCancellationRequested)
        {
            var pending = await Database.StreamPendingMessagesAsync(
                _topic, _group, Settings.QueueDepth, RedisValue.Null, start, "+", minIdle);
            if (pending.Length == 0)
            {
                return;
            }

            var ids = pending.Select(p => p.MessageId).ToArray();
            // XCLAIM with the same minimum idle time: an entry another instance claimed meanwhile is not taken twice.
            // Entries trimmed away while pending are dropped from the pending list by Redis 7 itself.
            var claimed = await Database.StreamClaimAsync(_topic, _group, _broker.ConsumerName, minIdle, ids);
            if (claimed.Any(e => !e.IsNull))
            {
                LogReclaimed(claimed.Count(e => !e.IsNull), _topic, _group);
                await EnqueueAsync([.. claimed.Where(e => !e.IsNull)], token);
            }

            if (pending.Length < Settings.QueueDepth)
            {
                return;
            }

            start = "(" + pending[^1].MessageId;
        }
    }

    private async Task EnqueueAsync(StreamEntry[] entries, CancellationToken token)
    {
        foreach (var entry in entries)
        {
            var message = RedisStreamFields.Decode(_topic, entry, error => LogBadMetadata(entry.Id.ToString(), _topic, error));
            await _broker.EnqueueAsync(new StreamWork(this, entry.Id.ToString(), message), token);
        }
    }

    /// <summary>XGROUP CREATE ... 0 MKSTREAM: a new group starts from the stream's first entry, as contrib creates it.</summary>
    private async Task EnsureGroupAsync(CancellationToken token)
    {
        while (true)
        {
            try
            {
                await Database.StreamCreateConsumerGroupAsync(_topic, _group, "0", createStream: true);
                return;
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
            {
                LogReadFailed(_topic, ex.Message);
                await Task.Delay(ErrorPause, _broker.Time, token);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis message {Id} on {Topic} (group {Group}) interrupted; left pending for redelivery")]
    private partial void LogLeftPending(string id, string topic, string group);

    [LoggerMessage(Level = LogLevel.Error, Message = "Error processing Redis message {Id} on {Topic} (group {Group}), acknowledged: {Error}")]
    private partial void LogFailed(string id, string topic, string group, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Error acknowledging Redis message {Id} on {Topic}: {Error}")]
    private partial void LogAckFailed(string id, string topic, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis consumer group {Group} does not exist for stream {Topic}; recreating it")]
    private partial void LogGroupMissing(string group, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "Error reading from Redis stream {Topic}: {Error}")]
    private partial void LogReadFailed(string topic, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Error reclaiming pending Redis messages of {Topic}: {Error}")]
    private partial void LogReclaimFailed(string topic, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redelivering {Count} pending message(s) of {Topic} (group {Group})")]
    private partial void LogReclaimed(int count, string topic, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the metadata of Redis message {Id} on {Topic}: {Error}")]
    private partial void LogBadMetadata(string id, string topic, string error);
}

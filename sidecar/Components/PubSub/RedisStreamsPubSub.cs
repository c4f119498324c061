using System.Threading.Channels;
using Sidecar.Components.Redis;
using Sidecar.Hosting;
using StackExchange.Redis;

namespace Sidecar.Components.PubSub;

/// <summary>
/// <c>pubsub.redis</c> on Redis Streams, as components-contrib does it (<c>pubsub/redis/redis.go</c>): one stream per
/// topic (XADD, trimmed by <c>maxLenApprox</c> or <c>streamTTL</c>), one consumer group per <c>consumerID</c> (default:
/// the app id), read with XREADGROUP under a consumer name unique to this sidecar instance, handled by
/// <c>concurrency</c> workers from a queue of <c>queueDepth</c>. A handled message is acknowledged (XACK) whatever the
/// delivery layer made of it: success, drop, dead letter, or failure after its retries (contrib acknowledges failures
/// since v1.17). A delivery interrupted by shutdown, a crash, or <c>processingTimeout</c> stays in the group's pending
/// list; every <c>redeliverInterval</c> messages pending longer than <c>processingTimeout</c> are claimed (XPENDING +
/// XCLAIM) and delivered again, whichever instance read them first.
/// </summary>
internal sealed partial class RedisStreamsPubSub : IPubSub, IAsyncDisposable
{
    public const string Type = "pubsub.redis";

    private readonly IDatabase _database;
    private readonly Channel<StreamWork> _queue;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Task[] _workers;
    private readonly List<RedisStreamSubscription> _subscriptions = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public RedisStreamsPubSub(
        IConnectionMultiplexer connection, RedisStreamsSettings settings, string appId, TimeProvider time, ILogger<RedisStreamsPubSub> logger)
    {
        _database = connection.GetDatabase();
        Settings = settings;
        _time = time;
        _logger = logger;
        ConsumerName = $"{appId}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        _queue = Channel.CreateBounded<StreamWork>(new BoundedChannelOptions(settings.QueueDepth) { SingleWriter = false });
        _workers = [.. Enumerable.Range(0, settings.Concurrency).Select(_ => Task.Run(WorkAsync))];
    }

    public RedisStreamsSettings Settings { get; }

    /// <summary>This instance's consumer name in every group it reads (XINFO CONSUMERS shows it).</summary>
    public string ConsumerName { get; }

    internal IDatabase Database => _database;

    internal TimeProvider Time => _time;

    /// <summary>The factory registered for <see cref="Type"/>: the run-wide shared connection, checked metadata.</summary>
    public static RedisStreamsPubSub Create(ComponentContext context)
    {
        var connection = RedisConnections.Connect(context, RedisSettings.From(context.Definition));
        var settings = RedisStreamsSettings.From(context.Definition);
        var logger = context.Services.GetRequiredService<ILogger<RedisStreamsPubSub>>();
        if (settings.MaxLenApprox > 0 && settings.StreamTtl > TimeSpan.Zero)
        {
            LogTwoTrimStrategies(logger, context.Definition.Location, context.Definition.Name);
        }

        return new RedisStreamsPubSub(
            connection, settings, context.Services.GetRequiredService<SidecarOptions>().AppId,
            context.Services.GetRequiredService<TimeProvider>(), logger);
    }

    public async Task PublishAsync(string topic, PubSubMessage message, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        // Trimmed like contrib's XAdd: MAXLEN ~ when maxLenApprox is set, else MINID ~ from streamTTL (as its GetMinID).
        var options = Settings.MaxLenApprox > 0
            ? new StreamAddOptions { Approximate = true, MaxLength = Settings.MaxLenApprox }
            : Settings.StreamTtl > TimeSpan.Zero
                ? new StreamAddOptions { Approximate = true, MinId = $"{(_time.GetUtcNow() - Settings.StreamTtl).ToUnixTimeMilliseconds()}-1" }
                : new StreamAddOptions();
        await _database.StreamAddAsync(topic, RedisStreamFields.Encode(message), options).WaitAsync(cancellationToken);
    }

    public IAsyncDisposable Subscribe(string topic, string consumerGroup, Func<PubSubMessage, CancellationToken, Task> handler)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        var subscription = new RedisStreamSubscription(this, topic, Settings.GroupFor(consumerGroup), handler, _disposed.Token, _logger);
        lock (_gate)
        {
            _subscriptions.Add(subscription);
        }

        subscription.Start();
        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        RedisStreamSubscription[] subscriptions;
        lock (_gate)
        {
            subscriptions = [.. _subscriptions];
        }

        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }

        await _disposed.CancelAsync();
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers);
        // The connection is the run's (SidecarNetwork owns it), so it is not closed here.
    }

    /// <summary>Queues a message for the workers; waits while the queue is full (back-pressure on the reader).</summary>
    internal ValueTask EnqueueAsync(StreamWork work, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(work, cancellationToken);

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var work in _queue.Reader.ReadAllAsync(_disposed.Token))
            {
                try
                {
                    await work.Subscription.HandleAsync(work);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Unacknowledged, so redelivered later; the worker itself must survive for the next message.
                    LogWorkerFailed(_logger, work.Id, work.Message.Topic, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed: queued messages stay pending in Redis and are reclaimed later.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis message {Id} on {Topic} was not settled: {Error}")]
    private static partial void LogWorkerFailed(ILogger logger, string id, string topic, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Location}: component '{Name}' sets both maxLenApprox and streamTTL; only maxLenApprox trims the streams")]
    private static partial void LogTwoTrimStrategies(ILogger logger, string location, string name);
}

/// <summary>One stream entry on its way to a worker.</summary>
internal sealed record StreamWork(RedisStreamSubscription Subscription, string Id, PubSubMessage Message);

using System.Threading.Channels;

namespace Sidecar.Components.PubSub;

/// <summary>
/// <c>pubsub.in-memory</c>, and under <c>--embedded</c> the one broker every app of the run shares. Each consumer group
/// (the subscribing app id) gets every message of a topic once; subscribers of one group compete for its messages.
/// A group's queue outlives its subscribers, so messages wait while an app restarts, and a group created after
/// messages were published starts from the topic's retained backlog. A handler that throws has failed the message
/// after the delivery layer's retries and dead letter: it is logged and settled, not redelivered, as daprd's in-memory
/// component does and as <c>pubsub.redis</c> acknowledges it (contrib since v1.17). Only a delivery interrupted by
/// unsubscribing goes back to the group.
/// </summary>
public sealed partial class InMemoryPubSub : IPubSub, IAsyncDisposable
{
    public const string Type = "pubsub.in-memory";

    /// <summary>How many messages a topic keeps for consumer groups that have not subscribed yet.</summary>
    public const int RetainedPerTopic = 10_000;

    private const int MaxConcurrentDeliveriesPerSubscriber = 100;

    private readonly Dictionary<string, Topic> _topics = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();

    public InMemoryPubSub(ILogger<InMemoryPubSub> logger)
    {
        _logger = logger;
    }

    /// <summary>The factory registered for <see cref="Type"/>.</summary>
    public static InMemoryPubSub Create(ComponentContext context) => new(context.Services.GetRequiredService<ILogger<InMemoryPubSub>>());

    public Task PublishAsync(string topic, PubSubMessage message, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        Group[] groups;
        lock (_gate)
        {
            var t = TopicFor(topic);
            t.Retained.Enqueue(message);
            if (t.Retained.Count > RetainedPerTopic)
            {
                t.Retained.Dequeue();
            }

            groups = [.. t.Groups.Values];
        }

        foreach (var group in groups)
        {
            group.Queue.Writer.TryWrite(message);
        }

        return Task.CompletedTask;
    }

    public IAsyncDisposable Subscribe(string topic, string consumerGroup, Func<PubSubMessage, CancellationToken, Task> handler)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        Group group;
        lock (_gate)
        {
            var t = TopicFor(topic);
            if (!t.Groups.TryGetValue(consumerGroup, out group!))
            {
                group = new Group(topic, consumerGroup);
                t.Groups[consumerGroup] = group;
                foreach (var message in t.Retained)
                {
                    group.Queue.Writer.TryWrite(message);
                }
            }
        }

        return new Subscriber(this, group, handler);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        // Cancelled, not disposed: pending redeliveries and subscribers still read its token.
        await _disposed.CancelAsync();
    }

    private Topic TopicFor(string name)
    {
        if (!_topics.TryGetValue(name, out var topic))
        {
            topic = new Topic();
            _topics[name] = topic;
        }

        return topic;
    }

    private sealed class Topic
    {
        public Queue<PubSubMessage> Retained { get; } = new();

        public Dictionary<string, Group> Groups { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Group(string topic, string name)
    {
        public string Topic { get; } = topic;

        public string Name { get; } = name;

        public Channel<PubSubMessage> Queue { get; } = Channel.CreateUnbounded<PubSubMessage>();
    }

    /// <summary>Pumps a group's queue into one handler until disposed; messages in flight at disposal go back to the group.</summary>
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly InMemoryPubSub _broker;
        private readonly Group _group;
        private readonly Func<PubSubMessage, CancellationToken, Task> _handler;
        private readonly CancellationTokenSource _stop;
        private readonly SemaphoreSlim _slots = new(MaxConcurrentDeliveriesPerSubscriber);
        private readonly Task _pump;

        public Subscriber(InMemoryPubSub broker, Group group, Func<PubSubMessage, CancellationToken, Task> handler)
        {
            _broker = broker;
            _group = group;
            _handler = handler;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(broker._disposed.Token);
            _pump = Task.Run(PumpAsync);
        }

        public async ValueTask DisposeAsync()
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            await _stop.CancelAsync();
            await _pump;

            // Wait for deliveries in flight: each puts its message back when cancelled.
            for (var i = 0; i < MaxConcurrentDeliveriesPerSubscriber; i++)
            {
                await _slots.WaitAsync();
            }

            _stop.Dispose();
        }

        private async Task PumpAsync()
        {
            try
            {
                while (true)
                {
                    await _slots.WaitAsync(_stop.Token);
                    PubSubMessage message;
                    try
                    {
                        message = await _group.Queue.Reader.ReadAsync(_stop.Token);
                    }
                    catch
                    {
                        _slots.Release();
                        throw;
                    }

                    _ = DeliverAsync(message);
                }
            }
            catch (OperationCanceledException)
            {
                // Unsubscribed.
            }
        }

        private async Task DeliverAsync(PubSubMessage message)
        {
            try
            {
                await _handler(message, _stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                // Stopped mid-delivery: not the message's fault; the group keeps it for the next subscriber.
                _group.Queue.Writer.TryWrite(message);
            }
            catch (Exception ex)
            {
                _broker.LogFailed(_group.Topic, _group.Name, ex.Message);
            }
            finally
            {
                _slots.Release();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Topic {Topic}, group {Group}: the message was not delivered and is dropped ({Error})")]
    private partial void LogFailed(string topic, string group, string error);
}

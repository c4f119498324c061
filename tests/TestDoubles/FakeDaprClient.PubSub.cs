using Dapr;
using Dapr.Client;

namespace TestDoubles;

/// <summary>Pub/sub: publishing records the event instead of sending it.</summary>
public sealed partial class FakeDaprClient
{
    private readonly List<PublishedEvent> _published = [];
    private int _pendingPublishFailures;

    /// <summary>A snapshot of every event published so far, in order.</summary>
    public IReadOnlyList<PublishedEvent> PublishedEvents
    {
        get
        {
            lock (_gate)
            {
                return [.. _published];
            }
        }
    }

    /// <summary>The next <paramref name="count"/> publishes throw <see cref="DaprException"/>, as a broker outage would.</summary>
    public void InjectPublishFailures(int count)
    {
        lock (_gate)
        {
            _pendingPublishFailures = count;
        }
    }

    public override Task PublishEventAsync<TData>(string pubsubName, string topicName, TData data,
        CancellationToken cancellationToken = default) =>
        Record(pubsubName, topicName, data, metadata: null);

    public override Task PublishEventAsync<TData>(string pubsubName, string topicName, TData data,
        Dictionary<string, string> metadata, CancellationToken cancellationToken = default) =>
        Record(pubsubName, topicName, data, metadata);

    public override Task PublishEventAsync(string pubsubName, string topicName, CancellationToken cancellationToken = default) =>
        Record(pubsubName, topicName, data: null, metadata: null);

    public override Task PublishEventAsync(string pubsubName, string topicName, Dictionary<string, string> metadata,
        CancellationToken cancellationToken = default) =>
        Record(pubsubName, topicName, data: null, metadata);

    public override Task PublishByteEventAsync(string pubsubName, string topicName, ReadOnlyMemory<byte> data,
        string dataContentType = "application/json", Dictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default) =>
        Record(pubsubName, topicName, data.ToArray(), metadata);

    public override async Task<BulkPublishResponse<TValue>> BulkPublishEventAsync<TValue>(string pubsubName, string topicName,
        IReadOnlyList<TValue> events, Dictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        foreach (var item in events)
        {
            await Record(pubsubName, topicName, item, metadata);
        }

        return new BulkPublishResponse<TValue>([]);
    }

    private Task Record(string pubsubName, string topicName, object? data, Dictionary<string, string>? metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(pubsubName);
        ArgumentException.ThrowIfNullOrEmpty(topicName);
        lock (_gate)
        {
            if (_pendingPublishFailures > 0)
            {
                _pendingPublishFailures--;
                throw new DaprException($"Injected failure: publishing to '{pubsubName}/{topicName}' failed.");
            }

            _published.Add(new PublishedEvent(pubsubName, topicName, data,
                new Dictionary<string, string>(metadata ?? [], StringComparer.Ordinal)));
        }

        return Task.CompletedTask;
    }
}

namespace Sidecar.Components.PubSub;

/// <summary>
/// A pub/sub component: a broker of opaque messages by topic. Each subscriber group (the app id, as Dapr's consumerID)
/// receives every message once; the sidecar's delivery layer does CloudEvents, routing, retries and dead letters.
/// A handler that throws asks the broker to redeliver later; one that returns has settled the message.
/// </summary>
public interface IPubSub
{
    /// <summary>Publishes one message.</summary>
    Task PublishAsync(string topic, PubSubMessage message, CancellationToken cancellationToken);

    /// <summary>Starts delivering messages of <paramref name="topic"/> to <paramref name="handler"/> until disposed.</summary>
    IAsyncDisposable Subscribe(string topic, string consumerGroup, Func<PubSubMessage, CancellationToken, Task> handler);
}

/// <summary>A message as the broker carries it: the bytes to deliver (usually a CloudEvent) and its metadata.</summary>
public sealed record PubSubMessage(string Topic, byte[] Data, string ContentType, IReadOnlyDictionary<string, string> Metadata);

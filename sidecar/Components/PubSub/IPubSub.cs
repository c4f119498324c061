namespace Sidecar.Components.PubSub;

/// <summary>
/// A pub/sub component: a broker of opaque messages by topic. Each subscriber group (the app id, as Dapr's consumerID)
/// receives every message once; the sidecar's delivery layer does CloudEvents, routing, retries and dead letters.
/// A handler that returns has settled the message. One that throws has failed it after the delivery layer's retries and
/// dead letter; the broker then does what its component does in daprd (both built-in brokers log it and settle it, as
/// daprd's in-memory and, since v1.17, Redis components do). A delivery cancelled by the broker's own token (unsubscribe,
/// shutdown, Redis's processingTimeout) is kept and delivered again.
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

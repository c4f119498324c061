namespace Sidecar.PubSub.Publishing;

/// <summary>The publish side of pub/sub, shared by the HTTP and gRPC surfaces.</summary>
public interface IPublisher
{
    /// <summary>Wraps (unless raw) and publishes one message. Throws <c>DaprException</c> with daprd's error.</summary>
    Task PublishAsync(PublishRequest request, CancellationToken cancellationToken);

    /// <summary>Throws daprd's error when the pub/sub is unknown (or scoped away) or the topic is empty.</summary>
    void EnsureTarget(string pubSubName, string topic);

    /// <summary>
    /// Publishes each entry on its own; returns the entries that failed. Throws <c>DaprException</c> when an entry has no
    /// <c>entryId</c> or repeats one, before anything is published.
    /// </summary>
    Task<IReadOnlyList<BulkPublishFailure>> BulkPublishAsync(
        string pubSubName, string topic, IReadOnlyList<BulkPublishEntry> entries, IReadOnlyDictionary<string, string> metadata,
        string? traceParent, string? traceState, CancellationToken cancellationToken);
}

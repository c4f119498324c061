namespace Sidecar.PubSub.Publishing;

/// <summary>
/// One message to publish, as both API surfaces hand it over. <paramref name="ContentType"/> null means the caller gave
/// none (daprd then assumes <c>text/plain</c>); <paramref name="Metadata"/> carries <c>rawPayload</c>,
/// <c>cloudevent.*</c> overrides, <c>ttlInSeconds</c> and whatever the broker understands.
/// </summary>
public sealed record PublishRequest(
    string PubSubName,
    string Topic,
    ReadOnlyMemory<byte> Data,
    string? ContentType,
    IReadOnlyDictionary<string, string> Metadata,
    string? TraceParent = null,
    string? TraceState = null);

/// <summary>One entry of a bulk publish.</summary>
public sealed record BulkPublishEntry(string EntryId, ReadOnlyMemory<byte> Event, string? ContentType, IReadOnlyDictionary<string, string> Metadata);

/// <summary>An entry that could not be published, with why.</summary>
public sealed record BulkPublishFailure(string EntryId, string Error);

using Sidecar.Components;

namespace Sidecar.State.Outbox;

/// <summary>
/// A state store's transactional outbox, from daprd's component metadata: <c>outboxPublishPubsub</c> and
/// <c>outboxPublishTopic</c> (both needed: where each committed upsert is published), <c>outboxPubsub</c> (daprd's
/// coordination pub/sub; here the coordination is records in the store itself, so it is checked but not used) and
/// <c>outboxDiscardWhenMissingState</c> (daprd drops an internal message whose marker state never appears; here an
/// event exists only as a committed record, so there is never such a message, and the setting changes nothing).
/// </summary>
internal sealed record OutboxSettings(string PublishPubSub, string PublishTopic, string? CoordinationPubSub, bool DiscardWhenMissingState)
{
    public const string PublishPubSubKey = "outboxPublishPubsub";
    public const string PublishTopicKey = "outboxPublishTopic";
    public const string CoordinationPubSubKey = "outboxPubsub";
    public const string DiscardWhenMissingStateKey = "outboxDiscardWhenMissingState";

    /// <summary>The outbox of <paramref name="definition"/>, or null when it has none; half a configuration fails.</summary>
    public static OutboxSettings? From(ComponentDefinition definition)
    {
        var pubSub = NullIfBlank(definition.Get(PublishPubSubKey));
        var topic = NullIfBlank(definition.Get(PublishTopicKey));
        if (pubSub is null && topic is null)
        {
            return null;
        }

        if (pubSub is null || topic is null)
        {
            // daprd silently runs without an outbox here; a store that was meant to publish and does not is worse.
            throw new ResourceLoadException(
                $"{definition.Location}: component '{definition.Name}' ({definition.Type}) sets " +
                $"'{(pubSub is null ? PublishTopicKey : PublishPubSubKey)}' but not '{(pubSub is null ? PublishPubSubKey : PublishTopicKey)}'; the outbox needs both");
        }

        var discard = definition.Get(DiscardWhenMissingStateKey);
        return new OutboxSettings(pubSub, topic, NullIfBlank(definition.Get(CoordinationPubSubKey)),
            discard is not null && IsTruthy(discard));
    }

    /// <summary>As dapr/kit's IsTruthy: 1, true, t, yes, y, on (any case).</summary>
    private static bool IsTruthy(string value) =>
        value.Trim().ToLowerInvariant() is "1" or "true" or "t" or "yes" or "y" or "on";

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

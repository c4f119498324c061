using System.Globalization;
using Sidecar.AppChannel.Resources;

namespace Sidecar.PubSub.Subscriptions;

/// <summary>
/// Reads one subscription from its tree (the items of <c>/dapr/subscribe</c> and the <c>spec</c> of a Subscription
/// resource share a shape; field names are case-insensitive). Errors name <c>where</c> the subscription came from.
/// </summary>
internal static class SubscriptionParser
{
    private const int DefaultBulkCount = 100;
    private const int DefaultBulkAwaitMs = 1000;

    public static Subscription Parse(object? node, SubscriptionKind kind, string where)
    {
        var pubsub = SpecTree.String(node, "pubsubname");
        var topic = SpecTree.String(node, "topic");
        if (string.IsNullOrEmpty(pubsub) || string.IsNullOrEmpty(topic))
        {
            throw new FormatException($"{where}: a subscription needs both pubsubname and topic");
        }

        var rules = new List<RouteRule>();
        var defaultPath = SpecTree.String(node, "route");
        if (SpecTree.Map(node, "routes") is { } routes)
        {
            foreach (var rule in SpecTree.List(routes, "rules"))
            {
                var match = SpecTree.String(rule, "match");
                var path = SpecTree.String(rule, "path")
                    ?? throw new FormatException($"{where}: topic '{topic}': a routing rule has no path");
                rules.Add(new RouteRule(string.IsNullOrWhiteSpace(match) ? null : ParseRule(match, where, topic), path));
            }

            defaultPath = SpecTree.String(routes, "default") ?? defaultPath;
        }

        return new Subscription(
            pubsub,
            topic,
            rules,
            defaultPath,
            NullIfEmpty(SpecTree.String(node, "deadLetterTopic")),
            SpecTree.StringMap(node, "metadata"),
            ReadBulk(SpecTree.Map(node, "bulkSubscribe"), where),
            kind);
    }

    private static RouteExpression ParseRule(string match, string where, string topic)
    {
        try
        {
            return RouteExpression.Parse(match);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{where}: topic '{topic}': {ex.Message}", ex);
        }
    }

    private static BulkSubscribeOptions? ReadBulk(IReadOnlyDictionary<string, object?>? bulk, string where)
    {
        if (bulk is null || !bool.TryParse(SpecTree.String(bulk, "enabled"), out var enabled) || !enabled)
        {
            return null;
        }

        var count = ReadInt(bulk, "maxMessagesCount", DefaultBulkCount, where);
        var awaitMs = ReadInt(bulk, "maxAwaitDurationMs", DefaultBulkAwaitMs, where);
        return new BulkSubscribeOptions(Math.Max(1, count), TimeSpan.FromMilliseconds(Math.Max(0, awaitMs)));
    }

    private static int ReadInt(IReadOnlyDictionary<string, object?> map, string key, int fallback, string where) =>
        SpecTree.String(map, key) switch
        {
            null or "" => fallback,
            var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) => value,
            var text => throw new FormatException($"{where}: bulkSubscribe.{key} '{text}' is not a whole number"),
        };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

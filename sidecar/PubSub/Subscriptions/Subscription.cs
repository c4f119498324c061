using System.Text.Json.Nodes;

namespace Sidecar.PubSub.Subscriptions;

/// <summary>
/// One topic subscription of the app, programmatic (<c>GET /dapr/subscribe</c>) or declarative (<c>kind: Subscription</c>).
/// Rules are tried in order, then <see cref="DefaultPath"/>; an event that matches nothing is not delivered.
/// </summary>
public sealed record Subscription(
    string PubSubName,
    string Topic,
    IReadOnlyList<RouteRule> Rules,
    string? DefaultPath,
    string? DeadLetterTopic,
    IReadOnlyDictionary<string, string> Metadata,
    BulkSubscribeOptions? BulkSubscribe,
    SubscriptionKind Kind)
{
    /// <summary>The app path (with a leading slash) for <paramref name="cloudEvent"/>, or null when no route matches.</summary>
    public string? PathFor(JsonObject cloudEvent)
    {
        foreach (var rule in Rules)
        {
            if (rule.Match is null || rule.Match.Matches(cloudEvent))
            {
                return Normalize(rule.Path);
            }
        }

        return string.IsNullOrEmpty(DefaultPath) ? null : Normalize(DefaultPath);
    }

    /// <summary>Whether events reach the app as raw bytes wrapped by the sidecar (metadata <c>rawPayload=true</c>).</summary>
    public bool RawPayload => Metadata.TryGetValue("rawPayload", out var raw) && bool.TryParse(raw, out var isRaw) && isRaw;

    // Dapr.AspNetCore sends paths without the leading slash.
    private static string Normalize(string path) => path.StartsWith('/') ? path : "/" + path;
}

/// <summary>A routing rule: deliver to <see cref="Path"/> when <see cref="Match"/> holds (null: always).</summary>
public sealed record RouteRule(RouteExpression? Match, string Path);

/// <summary><c>bulkSubscribe</c>: deliver up to <see cref="MaxMessagesCount"/> events per call, waiting at most <see cref="MaxAwaitDuration"/>.</summary>
public sealed record BulkSubscribeOptions(int MaxMessagesCount, TimeSpan MaxAwaitDuration);

/// <summary>Where a subscription came from, as <c>/v1.0/metadata</c> reports it.</summary>
public enum SubscriptionKind { Programmatic, Declarative }

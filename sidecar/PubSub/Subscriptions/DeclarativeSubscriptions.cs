namespace Sidecar.PubSub.Subscriptions;

/// <summary>A <c>kind: Subscription</c> document as the loader found it.</summary>
public sealed record SubscriptionDocument(string Name, string ApiVersion, object? Spec, IReadOnlyList<string> Scopes, string SourceFile, int Line = 0);

/// <summary>
/// The Subscription resources in scope for an app (no scopes: every app). <c>dapr.io/v2alpha1</c> writes
/// <c>spec.routes</c>; <c>v1alpha1</c> writes <c>spec.route</c>; the parser reads either.
/// </summary>
internal static class DeclarativeSubscriptions
{
    public static IReadOnlyList<Subscription> For(IEnumerable<SubscriptionDocument> documents, string appId) =>
        [.. documents
            .Where(d => d.Scopes.Count == 0 || d.Scopes.Contains(appId, StringComparer.Ordinal))
            .Select(d => SubscriptionParser.Parse(d.Spec, SubscriptionKind.Declarative,
                $"subscription '{d.Name}' ({d.SourceFile}{(d.Line > 0 ? $":{d.Line}" : "")})"))];
}

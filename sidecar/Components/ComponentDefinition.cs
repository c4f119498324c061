namespace Sidecar.Components;

/// <summary>
/// A Dapr <c>Component</c> resource as read from YAML (<c>apiVersion: dapr.io/v1alpha1, kind: Component</c>).
/// <paramref name="SourceFile"/> is kept so every error can name the file that is wrong.
/// </summary>
public sealed record ComponentDefinition(
    string Name,
    string Type,
    string Version,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> Scopes,
    string SourceFile)
{
    /// <summary>True when the component applies to <paramref name="appId"/> (no scopes means every app).</summary>
    public bool AppliesTo(string appId) => Scopes.Count == 0 || Scopes.Contains(appId, StringComparer.Ordinal);

    /// <summary>A metadata value, or null.</summary>
    public string? Get(string key) => Metadata.TryGetValue(key, out var value) ? value : null;
}

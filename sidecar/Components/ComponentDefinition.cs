namespace Sidecar.Components;

/// <summary>
/// A Dapr <c>Component</c> resource as read from YAML (<c>apiVersion: dapr.io/v1alpha1, kind: Component</c>).
/// <paramref name="SourceFile"/> and <paramref name="Line"/> are kept so every error can name the place that is wrong.
/// </summary>
public sealed record ComponentDefinition(
    string Name,
    string Type,
    string Version,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> Scopes,
    string SourceFile,
    int Line = 0)
{
    /// <summary>True when the component applies to <paramref name="appId"/> (no scopes means every app).</summary>
    public bool AppliesTo(string appId) => Scopes.Count == 0 || Scopes.Contains(appId, StringComparer.Ordinal);

    /// <summary>A metadata value, or null.</summary>
    public string? Get(string key) => Metadata.TryGetValue(key, out var value) ? value : null;

    /// <summary>True when metadata <paramref name="key"/> is <c>"true"</c> (any case).</summary>
    public bool IsTrue(string key) => string.Equals(Get(key), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The part before the first dot of the type: <c>state</c>, <c>pubsub</c>, <c>bindings</c>...</summary>
    public string Category => Type.Split('.', 2)[0];

    /// <summary><c>file:line</c> for error messages.</summary>
    public string Location => Line > 0 ? $"{SourceFile}:{Line}" : SourceFile;
}

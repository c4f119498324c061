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
    /// <summary>
    /// Metadata items given as <c>secretKeyRef</c> instead of <c>value</c>, by metadata name; resolved through
    /// <see cref="SecretStore"/> before the component is created.
    /// </summary>
    public IReadOnlyDictionary<string, SecretKeyRef> SecretRefs { get; init; } = new Dictionary<string, SecretKeyRef>(StringComparer.Ordinal);

    /// <summary><c>auth.secretStore</c>: the secret store that resolves <see cref="SecretRefs"/>, or null.</summary>
    public string? SecretStore { get; init; }

    /// <summary><c>spec.ignoreErrors</c>: a component that cannot start is skipped with a warning instead of failing the start.</summary>
    public bool IgnoreErrors { get; init; }

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

/// <summary>A <c>secretKeyRef</c>: secret <paramref name="Name"/> and, within it, <paramref name="Key"/> (the name when empty).</summary>
public sealed record SecretKeyRef(string Name, string Key, int Line);

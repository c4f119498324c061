namespace Sidecar.Components;

/// <summary>
/// Any Dapr resource other than a component (<c>Subscription</c>, <c>Resiliency</c>, <c>Configuration</c>,
/// <c>HTTPEndpoint</c>...). <paramref name="Spec"/> is a plain tree: <see cref="IReadOnlyDictionary{TKey,TValue}"/>
/// of string to object, <see cref="IReadOnlyList{T}"/> of object, strings and nulls.
/// </summary>
public sealed record ResourceDocument(
    string Kind,
    string ApiVersion,
    string Name,
    IReadOnlyDictionary<string, object?> Spec,
    IReadOnlyList<string> Scopes,
    string SourceFile,
    int Line)
{
    /// <summary><c>auth.secretStore</c> beside <c>spec</c> (an <c>HTTPEndpoint</c>'s header secrets), or null.</summary>
    public string? SecretStore { get; init; }

    /// <summary>True when the resource applies to <paramref name="appId"/> (no scopes means every app).</summary>
    public bool AppliesTo(string appId) => Scopes.Count == 0 || Scopes.Contains(appId, StringComparer.Ordinal);

    /// <summary><c>file:line</c> for error messages.</summary>
    public string Location => $"{SourceFile}:{Line}";
}

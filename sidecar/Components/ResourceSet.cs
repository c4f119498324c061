namespace Sidecar.Components;

/// <summary>
/// Everything loaded from the resources paths and the configuration file for one app: the components scoped to it and
/// every other resource document.
/// </summary>
public sealed class ResourceSet(
    string appId, IReadOnlyList<ComponentDefinition> components, IReadOnlyList<ResourceDocument> documents)
{
    /// <summary>The app these resources were loaded for.</summary>
    public string AppId { get; } = appId;

    /// <summary>The components whose <c>scopes</c> include this app (or that have none).</summary>
    public IReadOnlyList<ComponentDefinition> Components { get; } = components;

    /// <summary>Every non-component document, whatever its scopes.</summary>
    public IReadOnlyList<ResourceDocument> Documents { get; } = documents;

    /// <summary>The documents of <paramref name="kind"/> (e.g. <c>Subscription</c>) that apply to this app.</summary>
    public IReadOnlyList<ResourceDocument> OfKind(string kind) =>
        [.. Documents.Where(d => string.Equals(d.Kind, kind, StringComparison.Ordinal) && d.AppliesTo(AppId))];

    /// <summary>
    /// The Configuration daprd applies: the one read from <paramref name="configFile"/> (<c>--config</c>); a
    /// Configuration in a resources folder is not applied. Null without a configuration file.
    /// </summary>
    public ResourceDocument? AppliedConfiguration(string? configFile)
    {
        if (configFile is null)
        {
            return null;
        }

        var path = Path.GetFullPath(configFile);
        return Documents.FirstOrDefault(d => string.Equals(d.Kind, "Configuration", StringComparison.Ordinal)
            && string.Equals(Path.GetFullPath(d.SourceFile), path, StringComparison.Ordinal));
    }

    /// <summary>An empty set, for hosts started without resources.</summary>
    public static ResourceSet Empty(string appId) => new(appId, [], []);
}

namespace Sidecar.Components.Bindings;

/// <summary>
/// The <c>direction</c> metadata of a binding (<c>input</c>, <c>output</c> or <c>input, output</c>), read as daprd
/// reads it: name and values case-insensitive; without it a binding serves every direction its type supports.
/// </summary>
// dapr/dapr pkg/runtime/processor/binding/binding.go isBindingOfDirection, isBindingOfExplicitDirection
public static class BindingDirection
{
    public const string Input = "input";
    public const string Output = "output";
    public const string MetadataKey = "direction";

    /// <summary>True when the binding may serve <paramref name="direction"/>: the metadata names it or is absent.</summary>
    public static bool Allows(ComponentDefinition definition, string direction) =>
        Values(definition) is not { } values || values.Contains(direction);

    /// <summary>True when the metadata names <paramref name="direction"/> explicitly (no probe of the app needed).</summary>
    public static bool IsExplicit(ComponentDefinition definition, string direction) =>
        Values(definition)?.Contains(direction) == true;

    private static HashSet<string>? Values(ComponentDefinition definition)
    {
        var entry = definition.Metadata.FirstOrDefault(m => string.Equals(m.Key, MetadataKey, StringComparison.OrdinalIgnoreCase));
        return entry.Key is null
            ? null
            : entry.Value.Split(',').Select(d => d.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
    }
}

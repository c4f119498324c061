namespace Sidecar.Components.Bindings;

/// <summary>Component metadata as components-contrib decodes it into its structs: names match case-insensitively.</summary>
// dapr/kit metadata.DecodeMetadata (mapstructure, case-insensitive field names)
internal static class BindingMetadata
{
    /// <summary>The value of <paramref name="key"/> in any case, or null when absent or empty.</summary>
    public static string? Get(ComponentDefinition definition, string key)
    {
        if (definition.Metadata.TryGetValue(key, out var exact))
        {
            return exact.Length > 0 ? exact : null;
        }

        var value = definition.Metadata.FirstOrDefault(m => string.Equals(m.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
        return string.IsNullOrEmpty(value) ? null : value;
    }
}

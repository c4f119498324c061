using YamlDotNet.RepresentationModel;

namespace Sidecar.Components;

/// <summary>Turns YAML nodes into a plain tree (dictionaries, lists, strings, nulls) that readers need no YAML library for.</summary>
internal static class YamlTree
{
    public static object? ToPlain(YamlNode? node) => node switch
    {
        null => null,
        YamlMappingNode mapping => ToDictionary(mapping),
        YamlSequenceNode sequence => sequence.Children.Select(ToPlain).ToList(),
        YamlScalarNode scalar => ScalarValue(scalar),
        _ => null,
    };

    public static IReadOnlyDictionary<string, object?> ToDictionary(YamlMappingNode mapping)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            result[((YamlScalarNode)key).Value ?? ""] = ToPlain(value);
        }

        return result;
    }

    /// <summary>A plain scalar <c>~</c>, <c>null</c> or nothing is null; everything else is its text.</summary>
    public static string? ScalarValue(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null"
            ? null
            : scalar.Value;

    public static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public static string? ChildText(YamlMappingNode mapping, string key) =>
        Child(mapping, key) is YamlScalarNode scalar ? ScalarValue(scalar) : null;

    public static long LineOf(YamlNode node) => node.Start.Line;
}

using System.Collections;
using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Sidecar.AppChannel.Resources;

/// <summary>
/// A resource's <c>spec</c> as a plain tree (maps with case-insensitive keys, lists, strings), whatever the loader
/// handed over (YAML nodes, JSON, dictionaries). Readers of Subscription and Resiliency documents walk this one shape.
/// </summary>
internal static class SpecTree
{
    /// <summary>Normalises <paramref name="value"/> into maps, lists and strings.</summary>
    public static object? From(object? value) => value switch
    {
        null => null,
        string s => s,
        YamlScalarNode scalar => scalar.Value,
        YamlMappingNode mapping => ToMap(mapping.Children.Select(c => new KeyValuePair<string, object?>(
            ((YamlScalarNode)c.Key).Value ?? "", c.Value))),
        YamlSequenceNode sequence => sequence.Children.Select(From).ToList(),
        JsonElement json => FromJson(json),
        IDictionary dictionary => ToMap(dictionary.Keys.Cast<object>().Select(k => new KeyValuePair<string, object?>(
            Convert.ToString(k, CultureInfo.InvariantCulture) ?? "", dictionary[k]))),
        IEnumerable<KeyValuePair<string, object?>> pairs => ToMap(pairs),
        IEnumerable<KeyValuePair<string, string>> pairs => ToMap(pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value))),
        IEnumerable list => list.Cast<object?>().Select(From).ToList(),
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>The child map <paramref name="key"/> of a map, or null.</summary>
    public static IReadOnlyDictionary<string, object?>? Map(object? node, string key) =>
        Child(node, key) as IReadOnlyDictionary<string, object?>;

    /// <summary>The child list <paramref name="key"/> of a map, or empty.</summary>
    public static IReadOnlyList<object?> List(object? node, string key) =>
        Child(node, key) as IReadOnlyList<object?> ?? [];

    /// <summary>The scalar <paramref name="key"/> of a map, or null.</summary>
    public static string? String(object? node, string key) => Child(node, key) as string;

    /// <summary>The child <paramref name="key"/> of a map, or null.</summary>
    public static object? Child(object? node, string key) =>
        node is IReadOnlyDictionary<string, object?> map && map.TryGetValue(key, out var value) ? value : null;

    /// <summary>A map of strings (e.g. <c>metadata</c>); non-string values are skipped.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(object? node, string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Map(node, key) is { } map)
        {
            foreach (var (k, v) in map)
            {
                if (v is string s)
                {
                    result[k] = s;
                }
            }
        }

        return result;
    }

    private static Dictionary<string, object?> ToMap(IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        var map = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in pairs)
        {
            map[key] = From(value);
        }

        return map;
    }

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Object => ToMap(json.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value))),
        JsonValueKind.Array => json.EnumerateArray().Select(e => FromJson(e)).ToList(),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => json.GetRawText(),
    };
}

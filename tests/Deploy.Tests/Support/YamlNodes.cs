using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Deploy.Tests.Support;

/// <summary>Null-tolerant navigation over YamlDotNet's representation model, which keeps scalar styles (quoting).</summary>
internal static class YamlNodes
{
    public static IReadOnlyList<YamlMappingNode> ParseDocuments(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    public static YamlNode? Child(this YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlNode? At(this YamlNode? node, params string[] keys)
    {
        foreach (var key in keys)
        {
            node = node.Child(key);
        }

        return node;
    }

    /// <summary>The scalar's text, or null when the node is absent or not a scalar.</summary>
    public static string? Text(this YamlNode? node) => (node as YamlScalarNode)?.Value;

    public static IReadOnlyList<YamlNode> Items(this YamlNode? node) =>
        node is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    public static IReadOnlyList<KeyValuePair<string, YamlNode>> Entries(this YamlNode? node) =>
        node is YamlMappingNode map
            ? map.Children.Select(c => KeyValuePair.Create(c.Key.Text() ?? "", c.Value)).ToList()
            : [];

    /// <summary>True for an unquoted scalar YAML reads as a number, boolean or null, which Kubernetes rejects as a string field.</summary>
    public static bool IsPlainNonString(this YamlNode? node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: var value } &&
        (value is null or "" or "~" || decimal.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _) ||
         value is "true" or "false" or "True" or "False" or "null" or "yes" or "no");

    public static YamlNode Clone(this YamlNode node) => node switch
    {
        YamlScalarNode s => new YamlScalarNode(s.Value) { Style = s.Style },
        YamlSequenceNode s => new YamlSequenceNode(s.Children.Select(Clone)),
        YamlMappingNode m => new YamlMappingNode(m.Children.Select(c => KeyValuePair.Create(c.Key.Clone(), c.Value.Clone()))),
        _ => throw new NotSupportedException($"YAML node {node.GetType().Name} (aliases are not used in deploy/)"),
    };

    /// <summary>Strategic-merge for what the overlays patch: mappings merge key by key, anything else is replaced.</summary>
    public static void MergeFrom(this YamlMappingNode target, YamlMappingNode patch)
    {
        foreach (var (key, value) in patch.Children)
        {
            if (value is YamlMappingNode patchMap && target.Children.TryGetValue(key, out var existing) && existing is YamlMappingNode targetMap)
            {
                targetMap.MergeFrom(patchMap);
            }
            else
            {
                target.Children[key.Clone()] = value.Clone();
            }
        }
    }

    /// <summary>Sets (creating mappings on the way) the scalar at a path.</summary>
    public static void Set(this YamlMappingNode node, string value, params string[] keys)
    {
        for (var i = 0; i < keys.Length - 1; i++)
        {
            if (node.Child(keys[i]) is not YamlMappingNode next)
            {
                next = [];
                node.Children[new YamlScalarNode(keys[i])] = next;
            }

            node = next;
        }

        node.Children[new YamlScalarNode(keys[^1])] = new YamlScalarNode(value);
    }
}

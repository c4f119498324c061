using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Sidecar.Hosting;

namespace Sidecar.Components;

/// <summary>
/// Reads every <c>*.yaml</c>/<c>*.yml</c> file of the resources paths (several documents per file allowed) and the
/// configuration file. Anything malformed fails the start with <c>file:line: what is wrong</c>.
/// </summary>
internal static class ResourceLoader
{
    private const string ComponentKind = "Component";

    public static ResourceSet Load(SidecarOptions options)
    {
        var components = new List<ComponentDefinition>();
        var documents = new List<ResourceDocument>();
        var loaded = new HashSet<string>(StringComparer.Ordinal);

        foreach (var folder in options.ResourcesPaths)
        {
            if (!Directory.Exists(folder))
            {
                throw new ResourceLoadException($"{folder}: resources path does not exist");
            }

            var files = Directory.EnumerateFiles(folder)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (var file in files.Where(f => loaded.Add(Path.GetFullPath(f))))
            {
                LoadFile(file, components, documents);
            }
        }

        if (options.ConfigFile is { } configFile)
        {
            if (!File.Exists(configFile))
            {
                throw new ResourceLoadException($"{configFile}: configuration file does not exist");
            }

            // The configuration file often sits in a resources folder too (as in components/): read it once.
            if (loaded.Add(Path.GetFullPath(configFile)))
            {
                LoadFile(configFile, components, documents);
            }
        }

        RejectDuplicateNames(components);
        return new ResourceSet(options.AppId, [.. components.Where(c => c.AppliesTo(options.AppId))], documents);
    }

    /// <summary>Parses one file into <paramref name="components"/> and <paramref name="documents"/>.</summary>
    public static void LoadFile(string file, List<ComponentDefinition> components, List<ResourceDocument> documents)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new ResourceLoadException($"{file}:{ex.Start.Line}: malformed YAML: {ex.Message}", ex);
        }

        foreach (var document in stream.Documents)
        {
            switch (document.RootNode)
            {
                case YamlScalarNode { Value: null or "" }:
                    continue; // an empty document, e.g. after a trailing '---'
                case YamlMappingNode root:
                    ReadDocument(file, root, components, documents);
                    break;
                default:
                    throw ResourceLoadException.At(file, YamlTree.LineOf(document.RootNode), "a resource must be a YAML mapping");
            }
        }
    }

    private static void ReadDocument(
        string file, YamlMappingNode root, List<ComponentDefinition> components, List<ResourceDocument> documents)
    {
        var line = YamlTree.LineOf(root);
        var kind = YamlTree.ChildText(root, "kind")
            ?? throw ResourceLoadException.At(file, line, "the resource has no 'kind'");
        var apiVersion = YamlTree.ChildText(root, "apiVersion") ?? "";
        var name = (YamlTree.Child(root, "metadata") as YamlMappingNode) is { } metadata
            ? YamlTree.ChildText(metadata, "name")
            : null;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw ResourceLoadException.At(file, line, $"the {kind} has no 'metadata.name'");
        }

        var specNode = YamlTree.Child(root, "spec");
        if (specNode is not null and not YamlMappingNode && !(specNode is YamlScalarNode s && YamlTree.ScalarValue(s) is null))
        {
            throw ResourceLoadException.At(file, YamlTree.LineOf(specNode), $"'spec' of {kind} '{name}' must be a mapping");
        }

        var scopes = ReadScopes(file, root);
        if (string.Equals(kind, ComponentKind, StringComparison.Ordinal))
        {
            components.Add(ReadComponent(file, line, name, specNode as YamlMappingNode, scopes) with
            {
                SecretStore = ReadAuthSecretStore(file, root),
            });
            return;
        }

        var spec = specNode is YamlMappingNode mapping
            ? YamlTree.ToDictionary(mapping)
            : new Dictionary<string, object?>(StringComparer.Ordinal);
        documents.Add(new ResourceDocument(kind, apiVersion, name, spec, scopes, file, (int)line)
        {
            SecretStore = ReadAuthSecretStore(file, root),
        });
    }

    private static ComponentDefinition ReadComponent(
        string file, long line, string name, YamlMappingNode? spec, IReadOnlyList<string> scopes)
    {
        var type = spec is null ? null : YamlTree.ChildText(spec, "type");
        if (string.IsNullOrWhiteSpace(type))
        {
            throw ResourceLoadException.At(file, spec is null ? line : YamlTree.LineOf(spec), $"component '{name}' has no 'spec.type'");
        }

        var version = YamlTree.ChildText(spec!, "version") ?? "v1";
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var secretRefs = new Dictionary<string, SecretKeyRef>(StringComparer.Ordinal);
        switch (YamlTree.Child(spec!, "metadata"))
        {
            case null:
                break;
            case YamlSequenceNode items:
                foreach (var item in items)
                {
                    var (key, value, secretRef) = ReadMetadataItem(file, name, item);
                    metadata[key] = value;
                    if (secretRef is not null)
                    {
                        secretRefs[key] = secretRef;
                    }
                    else
                    {
                        secretRefs.Remove(key);
                    }
                }

                break;
            case YamlScalarNode scalar when YamlTree.ScalarValue(scalar) is null:
                break;
            case var other:
                throw ResourceLoadException.At(file, YamlTree.LineOf(other), $"'spec.metadata' of component '{name}' must be a list of name/value pairs");
        }

        return new ComponentDefinition(name, type, version, metadata, scopes, file, (int)line)
        {
            SecretRefs = secretRefs,
            IgnoreErrors = ReadIgnoreErrors(file, name, spec!),
        };
    }

    private static (string Key, string Value, SecretKeyRef? SecretRef) ReadMetadataItem(string file, string component, YamlNode item)
    {
        var itemLine = YamlTree.LineOf(item);
        if (item is not YamlMappingNode entry || YamlTree.ChildText(entry, "name") is not { Length: > 0 } key)
        {
            throw ResourceLoadException.At(file, itemLine, $"a metadata item of component '{component}' has no 'name'");
        }

        var value = YamlTree.Child(entry, "value") switch
        {
            YamlScalarNode scalar => scalar.Value ?? "",
            null => null,
            var complex => System.Text.Json.JsonSerializer.Serialize(YamlTree.ToPlain(complex)),
        };
        if (value is not null)
        {
            return (key, value, null);
        }

        switch (YamlTree.Child(entry, "secretKeyRef"))
        {
            case null:
                return (key, "", null);
            case YamlMappingNode reference when YamlTree.ChildText(reference, "name") is { Length: > 0 } secretName:
                return (key, "", new SecretKeyRef(secretName, YamlTree.ChildText(reference, "key") ?? "", (int)YamlTree.LineOf(reference)));
            case var other:
                throw ResourceLoadException.At(file, YamlTree.LineOf(other),
                    $"'secretKeyRef' of metadata '{key}' of component '{component}' needs a 'name' (and optionally a 'key')");
        }
    }

    /// <summary><c>auth.secretStore</c> of a component or another resource, beside <c>spec</c>.</summary>
    private static string? ReadAuthSecretStore(string file, YamlMappingNode root) => YamlTree.Child(root, "auth") switch
    {
        null => null,
        YamlMappingNode auth => YamlTree.ChildText(auth, "secretStore") is { Length: > 0 } store ? store : null,
        YamlScalarNode scalar when YamlTree.ScalarValue(scalar) is null => null,
        var other => throw ResourceLoadException.At(file, YamlTree.LineOf(other), "'auth' must be a mapping with 'secretStore'"),
    };

    private static bool ReadIgnoreErrors(string file, string component, YamlMappingNode spec) => YamlTree.ChildText(spec, "ignoreErrors") switch
    {
        null => false,
        var text when bool.TryParse(text, out var ignore) => ignore,
        var text => throw ResourceLoadException.At(file, YamlTree.LineOf(YamlTree.Child(spec, "ignoreErrors")!),
            $"'spec.ignoreErrors' of component '{component}' must be true or false, not '{text}'"),
    };

    private static IReadOnlyList<string> ReadScopes(string file, YamlMappingNode root) => YamlTree.Child(root, "scopes") switch
    {
        null => [],
        YamlSequenceNode list => [.. list.Children.Select(n => n is YamlScalarNode s && s.Value is { } v
            ? v
            : throw ResourceLoadException.At(file, YamlTree.LineOf(n), "'scopes' must be a list of app ids"))],
        YamlScalarNode scalar when YamlTree.ScalarValue(scalar) is null => [],
        var other => throw ResourceLoadException.At(file, YamlTree.LineOf(other), "'scopes' must be a list of app ids"),
    };

    private static void RejectDuplicateNames(List<ComponentDefinition> components)
    {
        foreach (var group in components.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            // Two definitions of one name are fine when their scopes keep them apart; daprd refuses them otherwise.
            var all = group.ToList();
            var clash = all.SelectMany((a, i) => all.Skip(i + 1).Select(b => (a, b)))
                .FirstOrDefault(p => p.a.Scopes.Count == 0 || p.b.Scopes.Count == 0 || p.a.Scopes.Intersect(p.b.Scopes).Any());
            if (clash.a is not null)
            {
                throw new ResourceLoadException(
                    $"{clash.b.Location}: component '{group.Key}' is already defined at {clash.a.Location}");
            }
        }
    }
}

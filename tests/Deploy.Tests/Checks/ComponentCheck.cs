using Deploy.Tests.Sources;
using Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Deploy.Tests.Checks;

/// <summary>The cluster's Dapr resources agree with components/: names, types, scopes, metadata, resiliency; secrets by reference.</summary>
internal static class ComponentCheck
{
    // Where the cluster differs from a laptop on purpose: the Redis address and its password.
    private static readonly HashSet<string> s_environmentSpecific = ["redisHost", "redisPassword"];

    public static IReadOnlyList<string> Run(RepoFiles files, Rendered rendered)
    {
        var problems = new Problems();
        var local = LocalComponents.Read(files);
        CompareComponents(local.Where(r => r.Kind == "Component").ToList(), rendered, problems);
        CompareResiliency(local.Where(r => r.Kind == "Resiliency").ToList(), rendered, problems);
        CheckSecretsByReference(rendered, problems);
        CheckTracing(rendered, problems);
        return problems.Lines;
    }

    /// <summary>Each component a service's code names through DaprNames exists in the cluster and is scoped to that service.</summary>
    public static IReadOnlyList<string> RunForCode(RepoFiles files, Rendered rendered)
    {
        var problems = new Problems();
        var constants = DaprNamesSource.Components(files);
        foreach (var service in ServiceProjects.Read(files))
        {
            foreach (var source in ServiceProjects.Sources(files, service))
            {
                foreach (var constant in DaprNamesSource.UsedIn(files.Read(source), constants.Keys))
                {
                    var component = rendered.Find("Component", constants[constant]);
                    if (component is null)
                    {
                        problems.Add(source, $"DaprNames.{constant}", $"names component \"{constants[constant]}\", which {rendered.Directory} does not define");
                    }
                    else if (Scopes(component) is { Count: > 0 } scopes && !scopes.Contains(service.AppId))
                    {
                        problems.Add(component.File, "scopes", $"is [{string.Join(", ", scopes)}], but {source} uses DaprNames.{constant} from app \"{service.AppId}\"");
                    }
                }
            }
        }

        return problems.Lines;
    }

    private static void CompareComponents(List<Resource> local, Rendered rendered, Problems problems)
    {
        var cluster = rendered.OfKind("Component").ToList();
        foreach (var mine in local.Where(l => cluster.All(c => c.Name != l.Name)))
        {
            problems.Add(mine.File, "metadata.name", $"is \"{mine.Name}\", but {rendered.Directory} has no Component of that name");
        }

        foreach (var theirs in cluster)
        {
            var mine = local.FirstOrDefault(l => l.Name == theirs.Name);
            if (mine is null)
            {
                problems.Add(theirs.File, "metadata.name", $"is \"{theirs.Name}\", which no Component in {LocalComponents.Directory}/ has");
                continue;
            }

            problems.Expect(theirs.File, "spec.type", theirs.Root.At("spec", "type").Text(), mine.Root.At("spec", "type").Text() ?? "", mine.File);
            problems.Expect(theirs.File, "scopes", string.Join(", ", Scopes(theirs).Order()), string.Join(", ", Scopes(mine).Order()), mine.File);
            var localItems = MetadataItems(mine);
            var clusterItems = MetadataItems(theirs);
            problems.Expect(theirs.File, "spec.metadata[*].name", string.Join(", ", clusterItems.Keys.Order()), string.Join(", ", localItems.Keys.Order()), mine.File);
            foreach (var (name, node) in localItems.Where(i => !s_environmentSpecific.Contains(i.Key) && clusterItems.ContainsKey(i.Key)))
            {
                problems.Expect(theirs.File, $"spec.metadata[{name}].value", clusterItems[name].Child("value").Text(), node.Child("value").Text() ?? "", mine.File);
            }
        }
    }

    private static void CompareResiliency(List<Resource> local, Rendered rendered, Problems problems)
    {
        foreach (var mine in local)
        {
            var theirs = rendered.Find("Resiliency", mine.Name);
            if (theirs is null)
            {
                problems.Add(mine.File, "metadata.name", $"is \"{mine.Name}\", but {rendered.Directory} has no Resiliency of that name");
            }
            else if (FirstDifference(theirs.Root.Child("spec"), mine.Root.Child("spec"), "spec") is { } field)
            {
                problems.Add(theirs.File, field, $"differs from {mine.File}");
            }
            else
            {
                problems.Expect(theirs.File, "scopes", string.Join(", ", Scopes(theirs).Order()), string.Join(", ", Scopes(mine).Order()), mine.File);
            }
        }
    }

    private static void CheckSecretsByReference(Rendered rendered, Problems problems)
    {
        foreach (var component in rendered.OfKind("Component"))
        {
            var items = component.Root.At("spec", "metadata").Items();
            for (var i = 0; i < items.Count; i++)
            {
                var name = items[i].Child("name").Text() ?? "";
                var isSecret = name.Contains("password", StringComparison.OrdinalIgnoreCase) || name.Contains("token", StringComparison.OrdinalIgnoreCase);
                if (isSecret && items[i].Child("secretKeyRef") is null)
                {
                    problems.Add(component.File, $"spec.metadata[{i}] ({name})", "has no secretKeyRef; a cluster secret is never written into a component");
                }

                if (items[i].Child("secretKeyRef") is not null)
                {
                    problems.Expect(component.File, "auth.secretStore", component.Root.At("auth", "secretStore").Text(), "kubernetes", "a secretKeyRef in spec.metadata");
                }
            }
        }
    }

    private static void CheckTracing(Rendered rendered, Problems problems)
    {
        foreach (var configuration in rendered.OfKind("Configuration"))
        {
            problems.Require(configuration.File, "spec.tracing.samplingRate", configuration.Root.At("spec", "tracing", "samplingRate").Text());
            problems.Require(configuration.File, "spec.tracing.otel.endpointAddress", configuration.Root.At("spec", "tracing", "otel", "endpointAddress").Text());
        }
    }

    private static List<string> Scopes(Resource resource) => resource.Root.Child("scopes").Items().Select(s => s.Text() ?? "").ToList();

    private static Dictionary<string, YamlNode> MetadataItems(Resource component) =>
        component.Root.At("spec", "metadata").Items().ToDictionary(i => i.Child("name").Text() ?? "", i => i, StringComparer.Ordinal);

    /// <summary>The first field path at which two trees differ (mapping order ignored), or null when equal.</summary>
    public static string? FirstDifference(YamlNode? a, YamlNode? b, string path)
    {
        switch (a, b)
        {
            case (YamlMappingNode x, YamlMappingNode y):
                var keys = x.Entries().Select(e => e.Key).Union(y.Entries().Select(e => e.Key)).Order(StringComparer.Ordinal);
                return keys.Select(k => FirstDifference(x.Child(k), y.Child(k), $"{path}.{k}")).FirstOrDefault(d => d is not null);
            case (YamlSequenceNode x, YamlSequenceNode y):
                return x.Children.Count != y.Children.Count
                    ? path
                    : x.Children.Select((c, i) => FirstDifference(c, y.Children[i], $"{path}[{i}]")).FirstOrDefault(d => d is not null);
            default:
                return a is YamlScalarNode sa && b is YamlScalarNode sb && sa.Value == sb.Value ? null : path;
        }
    }
}

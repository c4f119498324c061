using YamlDotNet.RepresentationModel;

namespace Deploy.Tests.Support;

/// <summary>The objects one kustomization renders, and what was wrong with its references.</summary>
internal sealed record Rendered(string Directory, IReadOnlyList<Resource> Resources, IReadOnlyList<string> Problems)
{
    public IEnumerable<Resource> OfKind(string kind) => Resources.Where(r => r.Kind == kind);

    public Resource? Find(string kind, string name) => Resources.FirstOrDefault(r => r.Kind == kind && r.Name == name);
}

/// <summary>
/// The part of kustomize deploy/k8s uses (resources, namespace, labels, replicas, patches), evaluated over
/// <see cref="RepoFiles"/> so that resources keep the file that defines them. A field it does not understand is a
/// problem rather than silently ignored; KubectlRenderTests compares its output with real kustomize.
/// </summary>
internal static class Kustomize
{
    private static readonly HashSet<string> s_understood = ["apiVersion", "kind", "namespace", "labels", "resources", "replicas", "patches"];
    private static readonly HashSet<string> s_clusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"];

    public static Rendered Build(RepoFiles files, string directory)
    {
        var problems = new List<string>();
        var resources = Load(files, directory, problems);
        return new Rendered(directory, resources, problems);
    }

    /// <summary>Every directory under <paramref name="under"/> holding a kustomization.yaml.</summary>
    public static IReadOnlyList<string> Directories(RepoFiles files, string under) =>
        files.Paths.Where(p => p.StartsWith(under + "/", StringComparison.Ordinal) && p.EndsWith("/kustomization.yaml", StringComparison.Ordinal))
            .Select(RepoPath.Directory)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static List<Resource> Load(RepoFiles files, string directory, List<string> problems)
    {
        var file = $"{directory}/kustomization.yaml";
        if (!files.Exists(file))
        {
            problems.Add($"{directory}: has no kustomization.yaml");
            return [];
        }

        var root = YamlNodes.ParseDocuments(files.Read(file)).Single();
        foreach (var (key, _) in root.Entries().Where(e => !s_understood.Contains(e.Key)))
        {
            problems.Add($"{file}: {key} is not understood by tests/Deploy.Tests/Support/Kustomize.cs; teach it before using it");
        }

        var resources = new List<Resource>();
        var entries = root.Child("resources").Items();
        for (var i = 0; i < entries.Count; i++)
        {
            var reference = entries[i].Text() ?? "";
            var path = RepoPath.Combine(directory, reference);
            if (files.Exists(path))
            {
                resources.AddRange(YamlNodes.ParseDocuments(files.Read(path)).Select(doc => new Resource(path, doc)));
            }
            else if (files.Exists($"{path}/kustomization.yaml"))
            {
                resources.AddRange(Load(files, path, problems));
            }
            else
            {
                problems.Add($"{file}: resources[{i}] \"{reference}\" is neither a file nor a directory with a kustomization.yaml");
            }
        }

        ApplyNamespace(root.Child("namespace").Text(), resources);
        ApplyLabels(root.Child("labels"), resources);
        ApplyReplicas(file, root.Child("replicas"), resources, problems);
        ApplyPatches(files, directory, file, root.Child("patches"), resources, problems);
        return resources;
    }

    private static void ApplyNamespace(string? ns, List<Resource> resources)
    {
        if (ns is null)
        {
            return;
        }

        foreach (var resource in resources.Where(r => !s_clusterScoped.Contains(r.Kind)))
        {
            resource.Root.Set(ns, "metadata", "namespace");
        }
    }

    private static void ApplyLabels(YamlNode? labels, List<Resource> resources)
    {
        foreach (var pairs in labels.Items().Select(l => l.Child("pairs")))
        {
            foreach (var resource in resources)
            {
                foreach (var (key, value) in pairs.Entries())
                {
                    resource.Root.Set(value.Text() ?? "", "metadata", "labels", key);
                }
            }
        }
    }

    private static void ApplyReplicas(string file, YamlNode? replicas, List<Resource> resources, List<string> problems)
    {
        var entries = replicas.Items();
        for (var i = 0; i < entries.Count; i++)
        {
            var name = entries[i].Child("name").Text();
            var targets = resources.Where(r => r.Name == name && r.Kind is "Deployment" or "StatefulSet").ToList();
            if (targets.Count == 0)
            {
                problems.Add($"{file}: replicas[{i}].name \"{name}\" matches no Deployment");
            }

            targets.ForEach(t => t.Root.Set(entries[i].Child("count").Text() ?? "", "spec", "replicas"));
        }
    }

    private static void ApplyPatches(RepoFiles files, string directory, string file, YamlNode? patches, List<Resource> resources, List<string> problems)
    {
        var entries = patches.Items();
        for (var i = 0; i < entries.Count; i++)
        {
            var reference = entries[i].Child("path").Text() ?? "";
            var path = RepoPath.Combine(directory, reference);
            if (!files.Exists(path))
            {
                problems.Add($"{file}: patches[{i}].path \"{reference}\" does not exist");
                continue;
            }

            var patch = YamlNodes.ParseDocuments(files.Read(path)).Single();
            var target = entries[i].Child("target");
            var kind = target is null ? patch.Child("kind").Text() : target.Child("kind").Text();
            var name = target is null ? patch.At("metadata", "name").Text() : target.Child("name").Text();
            var matches = resources.Where(r => (kind is null || r.Kind == kind) && (name is null || r.Name == name)).ToList();
            if (matches.Count == 0)
            {
                var field = target is null ? $"patches[{i}] ({reference})" : $"patches[{i}].target";
                problems.Add($"{file}: {field} matches no resource (kind \"{kind}\", name \"{name ?? "*"}\")");
            }

            // Identity fields select the target; only the rest is merged (kustomize ignores a patch's name under a target).
            var body = (YamlMappingNode)patch.Clone();
            body.Children.Remove(new YamlScalarNode("apiVersion"));
            body.Children.Remove(new YamlScalarNode("kind"));
            (body.Child("metadata") as YamlMappingNode)?.Children.Remove(new YamlScalarNode("name"));
            matches.ForEach(m => m.Root.MergeFrom(body));
        }
    }
}

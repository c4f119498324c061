using System.Text.RegularExpressions;
using Deploy.Tests.Support;

namespace Deploy.Tests.Checks;

/// <summary>
/// Every Secret the manifests name (component secretKeyRefs, Dapr token annotations) is either rendered by the
/// kustomization or created by hand as deploy/README.md documents (<c>kubectl create secret generic NAME -n NAMESPACE</c>).
/// </summary>
internal static class SecretCheck
{
    public const string ReadmePath = "deploy/README.md";

    public static IReadOnlyList<string> Run(RepoFiles files, Rendered rendered)
    {
        var problems = new Problems();
        var readme = files.Exists(ReadmePath) ? files.Read(ReadmePath) : "";
        foreach (var (resource, field, name) in References(rendered))
        {
            var ns = resource.Namespace ?? "default";
            var rendersIt = rendered.OfKind("Secret").Any(s => s.Name == name && (s.Namespace ?? "default") == ns);
            if (!rendersIt && !IsDocumented(readme, name, ns))
            {
                problems.Add(resource.File, field, $"names Secret \"{name}\", which {rendered.Directory} does not create and {ReadmePath} does not tell to create in namespace {ns}");
            }
        }

        return problems.Lines;
    }

    /// <summary>The token annotations name secrets whose key must be <c>token</c>; the README's command must create that key.</summary>
    public static IEnumerable<(Resource Resource, string Field, string Name)> References(Rendered rendered)
    {
        foreach (var component in rendered.OfKind("Component"))
        {
            var items = component.Root.At("spec", "metadata").Items();
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].At("secretKeyRef", "name").Text() is { } name)
                {
                    yield return (component, $"spec.metadata[{i}].secretKeyRef.name", name);
                }
            }
        }

        foreach (var workload in Workload.In(rendered))
        {
            foreach (var key in new[] { "dapr.io/api-token-secret", "dapr.io/app-token-secret" })
            {
                if (workload.Annotation(key) is { } name)
                {
                    yield return (workload.Resource, Workload.AnnotationField(key), name);
                }
            }
        }
    }

    private static bool IsDocumented(string readme, string name, string ns) =>
        readme.Split('\n').Any(line =>
            Regex.IsMatch(line, $@"kubectl create secret generic {Regex.Escape(name)}(\s|$)") &&
            Regex.IsMatch(line, $@"(-n|--namespace)[ =]{Regex.Escape(ns)}(\s|$)"));
}

using Deploy.Tests.Support;

namespace Deploy.Tests.Sources;

/// <summary>The Dapr resources of <c>components/</c> (the local run): what the cluster's must agree with.</summary>
internal static class LocalComponents
{
    public const string Directory = "components";

    public static IReadOnlyList<Resource> Read(RepoFiles files) =>
        files.Paths
            .Where(p => p.StartsWith(Directory + "/", StringComparison.Ordinal) && p.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(p => YamlNodes.ParseDocuments(files.Read(p)).Select(d => new Resource(p, d)))
            .ToList();
}

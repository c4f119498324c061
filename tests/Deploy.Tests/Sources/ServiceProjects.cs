using System.Text.RegularExpressions;
using Deploy.Tests.Support;

namespace Deploy.Tests.Sources;

/// <summary>A web service of <c>services/</c>: its folder name is its app id.</summary>
internal sealed record ServiceProject(string AppId, string ProjectFile, string Directory);

internal static partial class ServiceProjects
{
    /// <summary>Every folder directly under services/ with a csproj on the web SDK.</summary>
    public static IReadOnlyList<ServiceProject> Read(RepoFiles files) =>
        files.Paths
            .Where(p => p.StartsWith("services/", StringComparison.Ordinal) && p.EndsWith(".csproj", StringComparison.Ordinal) && p.Count(c => c == '/') == 2)
            .Where(p => WebSdk().IsMatch(files.Read(p)))
            .Select(p => new ServiceProject(p.Split('/')[1], p, RepoPath.Directory(p)))
            .OrderBy(s => s.AppId, StringComparer.Ordinal)
            .ToList();

    /// <summary>The C# sources of one service (not its tests, not shared projects).</summary>
    public static IEnumerable<string> Sources(RepoFiles files, ServiceProject service) =>
        files.Paths.Where(p => p.StartsWith(service.Directory + "/", StringComparison.Ordinal) && p.EndsWith(".cs", StringComparison.Ordinal));

    [GeneratedRegex("""Sdk\s*=\s*"Microsoft\.NET\.Sdk\.Web""")]
    private static partial Regex WebSdk();
}

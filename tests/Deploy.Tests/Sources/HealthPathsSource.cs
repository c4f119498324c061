using System.Text.RegularExpressions;
using Deploy.Tests.Support;

namespace Deploy.Tests.Sources;

/// <summary>The liveness and readiness routes every service serves, read from <c>ServiceDefaultsExtensions</c>.</summary>
internal static partial class HealthPathsSource
{
    public const string Path = "services/service-defaults/ServiceDefaultsExtensions.cs";

    /// <summary>The route of <c>LivePath</c> or <c>ReadyPath</c>.</summary>
    public static string Read(RepoFiles files, string constant) =>
        PathConstant().Matches(files.Read(Path)).FirstOrDefault(m => m.Groups["name"].Value == constant)?.Groups["value"].Value
            ?? throw new InvalidOperationException($"{Path} declares no const string {constant}");

    [GeneratedRegex("""public const string (?<name>LivePath|ReadyPath) = "(?<value>[^"]+)";""")]
    private static partial Regex PathConstant();
}

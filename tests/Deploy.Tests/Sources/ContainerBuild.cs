using System.Text.RegularExpressions;
using Deploy.Tests.Support;

namespace Deploy.Tests.Sources;

/// <summary>The container settings of <c>services/Directory.Build.props</c>, read from its XML.</summary>
internal sealed partial record ContainerBuild(
    IReadOnlyDictionary<string, string> Ports, string ContainerUser, string Repository, string ImageTag, string BaseImage, bool ImportsParent)
{
    public const string Path = "services/Directory.Build.props";
    public const string ServiceDefaultsPath = "services/service-defaults/ServiceDefaultsExtensions.cs";

    public static ContainerBuild Read(RepoFiles files)
    {
        var text = files.Read(Path);
        var ports = PortByAppId().Matches(text).ToDictionary(m => m.Groups["app"].Value, m => m.Groups["port"].Value, StringComparer.Ordinal);
        return new ContainerBuild(
            ports,
            Property(text, "ContainerUser"),
            Property(text, "ContainerRepository"),
            Property(text, "ContainerImageTag"),
            Property(text, "ContainerBaseImage"),
            text.Contains("GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../')", StringComparison.Ordinal));
    }

    /// <summary>The image a Deployment of <paramref name="appId"/> runs, as the build names it.</summary>
    public string ImageFor(string appId) => $"{Repository.Replace("$(DaprAppId)", appId, StringComparison.Ordinal)}:{ImageTag}";

    /// <summary>How long the services drain on SIGTERM unless configured: the default in ServiceDefaults.</summary>
    public static int DefaultDrainSeconds(RepoFiles files)
    {
        var match = DrainDefault().Match(files.Read(ServiceDefaultsPath));
        Assert.True(match.Success, $"{ServiceDefaultsPath}: the ShutdownTimeout default (TimeSpan.FromSeconds(n)) was not found; update ContainerBuild.cs");
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Property(string text, string name)
    {
        var match = Regex.Match(text, $@"<{name}\b[^>]*>([^<]*)</{name}>");
        return match.Success ? match.Groups[1].Value : "";
    }

    [GeneratedRegex("""<DaprAppPort Condition="[^"]*'\$\(DaprAppId\)' == '(?<app>[\w-]+)'">(?<port>\d+)</DaprAppPort>""")]
    private static partial Regex PortByAppId();

    [GeneratedRegex("""GetValue\("ShutdownTimeout",\s*TimeSpan\.FromSeconds\((\d+)\)\)""")]
    private static partial Regex DrainDefault();
}

using System.Reflection;

namespace Sidecar.Runner.Dashboard;

/// <summary>
/// Where the standalone Aspire Dashboard is: the build restores the NuGet package <c>Aspire.Dashboard.Sdk.&lt;rid&gt;</c>
/// (a <c>PackageDownload</c> in Sidecar.csproj, so <c>dotnet run --project sidecar</c> brings it like any package) and
/// records the path of its <c>tools/Aspire.Dashboard</c> executable in the package cache as assembly metadata.
/// </summary>
internal static class DashboardLocator
{
    public const string MetadataKey = "AspireDashboardPath";

    /// <summary>The executable, or null with <paramref name="why"/> when this platform's package is not there.</summary>
    public static string? Find(out string why)
    {
        var path = typeof(DashboardLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == MetadataKey)?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            why = $"no Aspire Dashboard for {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier} " +
                $"(package Aspire.Dashboard.Sdk.<rid> not restored{(string.IsNullOrEmpty(path) ? "" : $": {path} is missing")})";
            return null;
        }

        why = "";
        return path;
    }
}

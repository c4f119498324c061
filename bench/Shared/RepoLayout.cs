namespace Bench.Shared;

/// <summary>
/// Where the built programs of the repository are. A benchmark runs the Release builds its project references built
/// (<c>dotnet run -c Release --project bench/X</c> builds the sidecar and the apps first).
/// </summary>
internal static class RepoLayout
{
    /// <summary>The repository root: the first folder above the benchmark's binaries that holds Services.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The sidecar's entry assembly in the configuration this benchmark was built in.</summary>
    public static string SidecarDll => Built("sidecar", "dapr-local.dll");

    /// <summary>The components folder the system runs with.</summary>
    public static string Components => Path.Combine(Root, "components");

    /// <summary>A service's entry assembly, e.g. <c>Service("payments", "Payments.dll")</c>.</summary>
    public static string Service(string folder, string assembly) => Built(Path.Combine("services", folder), assembly);

    /// <summary>A benchmark app's entry assembly, e.g. <c>Bench("BlockingApp", "BlockingApp.dll")</c>.</summary>
    public static string Bench(string folder, string assembly) => Built(Path.Combine("bench", folder), assembly);

    private static string Built(string project, string assembly)
    {
        // This benchmark's own output folder names the configuration: bin/<Configuration>/net10.0/.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(Root, project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: run the benchmark with dotnet run -c {configuration} --project bench/<name>, which builds it");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Services.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Services.sln above {AppContext.BaseDirectory}");
    }
}

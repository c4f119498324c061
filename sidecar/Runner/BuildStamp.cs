using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Sidecar.Runner;

/// <summary>
/// Lets a start skip <c>dotnet build</c> when nothing it reads has changed since the runner last built the project:
/// a no-op MSBuild run still costs seconds of evaluation on a small machine. The fingerprint covers every file of the
/// project's folder and of the projects it references (sources and <c>bin/</c>, not <c>obj/</c>), and the
/// <c>Directory.*.props</c>, <c>global.json</c>, <c>NuGet.config</c> and <c>.editorconfig</c> files above them: their
/// paths, sizes and times. A changed, added or removed file, or a cleaned <c>bin/</c>, means a build. The stamp lives in
/// <c>obj/dapr-local-build.stamp</c>; deleting it forces the next build.
/// </summary>
internal static class BuildStamp
{
    private const string FileName = "dapr-local-build.stamp";

    private static readonly string[] AncestorFiles =
        ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "NuGet.config", ".editorconfig"];

    /// <summary>The sources' part of the fingerprint, taken before a build (a file edited during it must not be stamped as built).</summary>
    public static string? Sources(string projectFile, string? configuration)
    {
        var folders = ProjectFolders(projectFile);
        if (folders is null)
        {
            return null;
        }

        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            AddTree(folder, files, includeBin: false);
            for (var parent = Directory.GetParent(folder); parent is not null; parent = parent.Parent)
            {
                foreach (var name in AncestorFiles)
                {
                    var path = Path.Combine(parent.FullName, name);
                    if (File.Exists(path))
                    {
                        files.Add(path);
                    }
                }
            }
        }

        return Hash($"configuration={configuration ?? "Debug"}", files);
    }

    /// <summary>True when the project was built by the runner and nothing it reads has changed since.</summary>
    public static bool IsCurrent(string projectFile, string? configuration)
    {
        var stamp = StampPath(projectFile);
        return Sources(projectFile, configuration) is { } sources
            && File.Exists(stamp)
            && File.ReadAllText(stamp) == Combine(sources, projectFile);
    }

    /// <summary>Records a successful build of sources fingerprinted as <paramref name="sources"/> before it.</summary>
    public static void Write(string projectFile, string sources)
    {
        var stamp = StampPath(projectFile);
        Directory.CreateDirectory(Path.GetDirectoryName(stamp)!);
        File.WriteAllText(stamp, Combine(sources, projectFile));
    }

    private static string StampPath(string projectFile) => Path.Combine(Path.GetDirectoryName(projectFile)!, "obj", FileName);

    /// <summary>Sources plus the outputs (<c>bin/</c> of the project and everything it references) as they are now.</summary>
    private static string Combine(string sources, string projectFile)
    {
        var outputs = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in ProjectFolders(projectFile) ?? [])
        {
            var bin = Path.Combine(folder, "bin");
            if (Directory.Exists(bin))
            {
                AddTree(bin, outputs, includeBin: true);
            }
        }

        return Hash(sources, outputs);
    }

    /// <summary>The folders of the project and of every project it references, directly or not; null when unreadable.</summary>
    private static List<string>? ProjectFolders(string projectFile)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>([Path.GetFullPath(projectFile)]);
        var folders = new List<string>();
        while (pending.TryDequeue(out var project))
        {
            if (!seen.Add(project))
            {
                continue;
            }

            if (!File.Exists(project))
            {
                return null;
            }

            var folder = Path.GetDirectoryName(project)!;
            folders.Add(folder);
            try
            {
                foreach (var reference in XDocument.Load(project).Descendants().Where(e => e.Name.LocalName == "ProjectReference"))
                {
                    var include = reference.Attribute("Include")?.Value;
                    if (string.IsNullOrEmpty(include))
                    {
                        continue;
                    }

                    if (include.Contains('$', StringComparison.Ordinal) || include.Contains('*', StringComparison.Ordinal))
                    {
                        // A reference through a property or a wildcard cannot be followed without MSBuild: always build.
                        return null;
                    }

                    pending.Enqueue(Path.GetFullPath(include.Replace('\\', Path.DirectorySeparatorChar), folder));
                }
            }
            catch (System.Xml.XmlException)
            {
                return null;
            }
        }

        return folders;
    }

    /// <summary>Every file below <paramref name="folder"/>, leaving out <c>obj/</c>, hidden folders and (unless asked) <c>bin/</c>.</summary>
    private static void AddTree(string folder, SortedSet<string> files, bool includeBin)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            files.Add(file);
        }

        foreach (var child in Directory.EnumerateDirectories(folder))
        {
            var name = Path.GetFileName(child);
            if (name.StartsWith('.') || name == "obj" || (name == "bin" && !includeBin))
            {
                continue;
            }

            AddTree(child, files, includeBin);
        }
    }

    private static string Hash(string header, IEnumerable<string> files)
    {
        var text = new StringBuilder(header).Append('\n');
        foreach (var path in files)
        {
            var info = new FileInfo(path);
            if (info.Exists)
            {
                text.Append(path).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

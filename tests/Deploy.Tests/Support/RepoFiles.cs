namespace Deploy.Tests.Support;

/// <summary>
/// An immutable, in-memory copy of the repository files the checks read, keyed by '/'-separated path from the root.
/// Checks only ever read this, so a test can hand them a deliberately broken copy made with <see cref="With"/>.
/// </summary>
internal sealed class RepoFiles
{
    private static readonly string[] s_roots = ["deploy", "components", "services"];
    private static readonly string[] s_extensions = [".yaml", ".yml", ".md", ".csproj", ".props", ".cs", ".json"];
    private static readonly Lazy<RepoFiles> s_current = new(() => Load(FindRoot()));

    private readonly IReadOnlyDictionary<string, string> _files;

    private RepoFiles(IReadOnlyDictionary<string, string> files, string root)
    {
        _files = files;
        Root = root;
    }

    /// <summary>The files of the checkout the tests run in.</summary>
    public static RepoFiles Current => s_current.Value;

    /// <summary>The repository root on disk (the directory holding Services.sln).</summary>
    public string Root { get; }

    public IEnumerable<string> Paths => _files.Keys;

    public bool Exists(string path) => _files.ContainsKey(path);

    public bool DirectoryExists(string path) => _files.Keys.Any(p => p.StartsWith(path + "/", StringComparison.Ordinal));

    public string Read(string path) =>
        _files.TryGetValue(path, out var text) ? text : throw new FileNotFoundException($"{path} is not in the checked files");

    /// <summary>A copy with one file replaced (or added).</summary>
    public RepoFiles With(string path, string text) =>
        new(new Dictionary<string, string>(_files, StringComparer.Ordinal) { [path] = text }, Root);

    /// <summary>A copy with one file removed.</summary>
    public RepoFiles Without(string path)
    {
        var files = new Dictionary<string, string>(_files, StringComparer.Ordinal);
        Assert.True(files.Remove(path), $"{path} does not exist, so removing it tests nothing");
        return new RepoFiles(files, Root);
    }

    /// <summary>A copy with <paramref name="oldText"/> replaced in one file; fails if the text is not there.</summary>
    public RepoFiles Replace(string path, string oldText, string newText)
    {
        var text = Read(path);
        Assert.True(text.Contains(oldText, StringComparison.Ordinal), $"{path} does not contain \"{oldText}\"");
        return With(path, text.Replace(oldText, newText, StringComparison.Ordinal));
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

        throw new InvalidOperationException($"No Services.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }

    private static RepoFiles Load(string root)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["dapr.yaml"] = File.ReadAllText(Path.Combine(root, "dapr.yaml")),
        };
        foreach (var top in s_roots.Select(r => Path.Combine(root, r)).Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(top, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                var segments = relative.Split('/');
                if (segments.Contains("bin") || segments.Contains("obj") || !s_extensions.Any(e => relative.EndsWith(e, StringComparison.Ordinal)))
                {
                    continue;
                }

                files[relative] = File.ReadAllText(file);
            }
        }

        return new RepoFiles(files, root);
    }
}

namespace Sidecar.Runner;

/// <summary>
/// Apps whose command is <c>dotnet run</c> are built once, together, before they start, and then started with
/// <c>--no-build</c>. Four <c>dotnet run</c> that each check (or build) the same shared projects at the same time
/// spend most of a start fighting over two cores and over the shared projects' output files; one build of all of
/// them does the shared work once. The run file is left as it is, so the real <c>dapr run -f</c> still runs it.
/// </summary>
internal static class DotnetRunBuild
{
    private static readonly string[] ProjectExtensions = ["*.csproj", "*.fsproj", "*.vbproj"];

    /// <summary>What an app's <c>dotnet run</c> builds: the project file, and the configuration it asks for (null: Debug).</summary>
    internal sealed record Target(AppPlan App, string Project, string? Configuration);

    /// <summary>
    /// The apps whose command is a plain <c>dotnet run</c> with only options this build reproduces
    /// (<c>--project</c>, <c>-c</c>, launch profiles); anything else (<c>-f</c>, <c>-r</c>, properties, an existing
    /// <c>--no-build</c>) keeps building itself as before.
    /// </summary>
    public static IReadOnlyList<Target> Find(IEnumerable<AppPlan> apps) =>
        [.. apps.Select(TargetOf).OfType<Target>()];

    private static Target? TargetOf(AppPlan app)
    {
        var command = app.Command;
        if (command.Count < 2 || Path.GetFileNameWithoutExtension(command[0]) != "dotnet" || command[1] != "run")
        {
            return null;
        }

        string? project = null;
        string? configuration = null;
        for (var i = 2; i < command.Count && command[i] != "--"; i++)
        {
            var hasValue = i + 1 < command.Count;
            switch (command[i])
            {
                case "--no-launch-profile":
                    break;
                case "--launch-profile" or "-lp" when hasValue:
                    i++;
                    break;
                case "--project" when hasValue:
                    project = command[++i];
                    break;
                case "-c" or "--configuration" when hasValue:
                    configuration = command[++i];
                    break;
                default:
                    return null;
            }
        }

        var file = ProjectFile(Path.GetFullPath(project ?? ".", app.AppDirPath));
        return file is null ? null : new Target(app, file, configuration);
    }

    /// <summary>The project <c>dotnet run</c> would pick: the file given, or the only project file in the folder.</summary>
    private static string? ProjectFile(string path)
    {
        if (File.Exists(path))
        {
            return path;
        }

        if (!Directory.Exists(path))
        {
            return null;
        }

        var found = ProjectExtensions.SelectMany(pattern => Directory.EnumerateFiles(path, pattern)).ToList();
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary><paramref name="command"/> with <c>--no-build</c> after <c>run</c>.</summary>
    public static IReadOnlyList<string> WithoutBuild(IReadOnlyList<string> command) =>
        [command[0], command[1], "--no-build", .. command.Skip(2)];

    /// <summary>
    /// Writes a solution holding <paramref name="projects"/> to <paramref name="solutionPath"/> and returns the one
    /// <c>dotnet build</c> of it. Build servers stay on: the build reuses the MSBuild nodes and compiler server that
    /// <c>dotnet run --project sidecar</c> left running, and the runner stops any its own build started.
    /// </summary>
    public static ProcessLaunch Launch(IEnumerable<string> projects, string? configuration, string solutionPath, string workingDirectory)
    {
        var entries = projects.Distinct(StringComparer.Ordinal)
            .Select(p => $"  <Project Path=\"{System.Security.SecurityElement.Escape(p)}\" />");
        File.WriteAllText(solutionPath, $"<Solution>\n{string.Join('\n', entries)}\n</Solution>\n");
        List<string> command = ["dotnet", "build", solutionPath, "-nologo", "-v:q", "-tl:off"];
        if (configuration is not null)
        {
            command.AddRange(["-c", configuration]);
        }

        return new ProcessLaunch("build", command, workingDirectory);
    }
}

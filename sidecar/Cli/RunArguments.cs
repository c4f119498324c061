using Sidecar.Runner;

namespace Sidecar.Cli;

/// <summary>The flags of <c>run</c>, read into <see cref="RunnerSettings"/>.</summary>
internal static class RunArguments
{
    public static RunnerSettings Parse(IReadOnlyList<string> args, string workingDirectory)
    {
        string? runFile = null;
        var embedded = false;
        string? dataDirectory = null;
        TimeSpan? timeout = null;
        var dashboard = true;
        TimeSpan? grace = null;
        var resources = new List<string>();
        var reader = new ArgumentReader(args);
        while (reader.Next())
        {
            switch (reader.Flag)
            {
                case "-f" or "--run-file": runFile = reader.Value(); break;
                case "--embedded": embedded = reader.Bool(); break;
                case "--data-dir": dataDirectory = Path.GetFullPath(reader.Value(), workingDirectory); break;
                case "--resources-path" or "--components-path": resources.Add(ExistingFolder(reader, workingDirectory)); break;
                case "--app-start-timeout": timeout = TimeSpan.FromSeconds(reader.Int(1)); break;
                case "--dashboard": dashboard = reader.Bool(); break;
                case "--no-dashboard": dashboard = false; break;
                case "--grace-period": grace = TimeSpan.FromSeconds(reader.Int(0, 3600)); break;
                default: throw reader.Unknown();
            }
        }

        if (runFile is null)
        {
            throw new UsageException("run needs -f <dapr.yaml | folder>");
        }

        var path = Path.GetFullPath(runFile, workingDirectory);
        if (Directory.Exists(path))
        {
            path = Path.Combine(path, "dapr.yaml");
        }

        var settings = new RunnerSettings(path)
        {
            Embedded = embedded,
            DataDirectory = dataDirectory,
            Dashboard = dashboard,
            ResourcesPaths = resources,
            NameRegistryFile = SingleSidecarArguments.NameRegistry(Environment.GetEnvironmentVariable, workingDirectory),
        };
        settings = timeout is { } t ? settings with { AppStartTimeout = t } : settings;
        return grace is { } g ? settings with { GracePeriod = g } : settings;
    }

    private static string ExistingFolder(ArgumentReader reader, string workingDirectory)
    {
        var path = Path.GetFullPath(reader.Value(), workingDirectory);
        return Directory.Exists(path) ? path : throw new UsageException($"{reader.Flag}: folder {path} does not exist");
    }
}

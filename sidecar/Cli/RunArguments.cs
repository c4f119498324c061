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
        var reader = new ArgumentReader(args);
        while (reader.Next())
        {
            switch (reader.Flag)
            {
                case "-f" or "--run-file": runFile = reader.Value(); break;
                case "--embedded": embedded = reader.Bool(); break;
                case "--data-dir": dataDirectory = Path.GetFullPath(reader.Value(), workingDirectory); break;
                case "--app-start-timeout": timeout = TimeSpan.FromSeconds(reader.Int(1)); break;
                case "--dashboard": dashboard = reader.Bool(); break;
                case "--no-dashboard": dashboard = false; break;
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

        var settings = new RunnerSettings(path) { Embedded = embedded, DataDirectory = dataDirectory, Dashboard = dashboard };
        return timeout is { } t ? settings with { AppStartTimeout = t } : settings;
    }
}

using System.Diagnostics;

namespace Sidecar.Runner;

internal sealed partial class MultiAppRunner
{
    /// <summary>
    /// Builds the projects of the apps started with <c>dotnet run</c> in one <c>dotnet build</c> (per configuration) and
    /// returns their commands with <c>--no-build</c>, by app id. Other apps keep their command as written.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> BuildAsync(CancellationToken stop)
    {
        var commands = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var group in DotnetRunBuild.Find(_plan.Apps).GroupBy(t => t.Configuration))
        {
            var targets = group.ToList();
            var apps = string.Join(", ", targets.Select(t => t.App.AppId));
            if (targets.All(t => BuildStamp.IsCurrent(t.Project, t.Configuration)))
            {
                Say($"the .NET projects of {apps} are unchanged since dapr-local built them; starting them with --no-build");
            }
            else
            {
                await BuildOnceAsync(targets, group.Key, apps, stop);
            }

            foreach (var target in targets)
            {
                commands[target.App.AppId] = DotnetRunBuild.WithoutBuild(target.App.Command);
            }
        }

        return commands;
    }

    private async Task BuildOnceAsync(List<DotnetRunBuild.Target> targets, string? configuration, string apps, CancellationToken stop)
    {
        var sources = targets.Select(t => BuildStamp.Sources(t.Project, t.Configuration)).ToList();
        var solution = Path.Combine(Path.GetTempPath(), $"dapr-local-{Environment.ProcessId}-{Guid.NewGuid():N}.slnx");
        // From the first app's folder, where its `dotnet run` would have found global.json and NuGet settings.
        var launch = DotnetRunBuild.Launch(targets.Select(t => t.Project), configuration, solution, targets[0].App.AppDirPath);
        Say($"building the .NET projects of {apps} once, then starting them with --no-build: {string.Join(' ', launch.Command)}");
        var clock = Stopwatch.StartNew();
        int exitCode;
        try
        {
            var build = _supervisor.Start(launch, _output.Sink(BuildName));
            exitCode = await build.Exited.WaitAsync(stop);

            // An MSBuild node or compiler server this build started lives on in its process group: it goes now, while
            // the apps start (the end of the run waits for it, as for every supervised process).
            _ = _supervisor.StopAsync(build, _hurry);
        }
        finally
        {
            File.Delete(solution);
        }

        if (exitCode != 0)
        {
            throw new RunnerException($"building the .NET projects of {apps} failed (dotnet build exited with code {exitCode}; its errors are above)");
        }

        Say($"built in {Seconds(clock.Elapsed)} s");
        for (var i = 0; i < targets.Count; i++)
        {
            if (sources[i] is { } fingerprint)
            {
                BuildStamp.Write(targets[i].Project, fingerprint);
            }
        }
    }
}

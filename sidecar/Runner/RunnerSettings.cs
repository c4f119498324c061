namespace Sidecar.Runner;

/// <summary>The flags of <c>run -f</c>.</summary>
internal sealed record RunnerSettings(string RunFilePath)
{
    /// <summary>Serve every component with the built-in SQLite store and broker.</summary>
    public bool Embedded { get; init; }

    /// <summary>Folder for embedded data; <c>.dapr</c> beside the run file when null.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Start the Aspire Dashboard and send every app's and sidecar's telemetry to it (<c>--no-dashboard</c>: no).</summary>
    public bool Dashboard { get; init; } = true;

    /// <summary>
    /// <c>--resources-path</c>: when not empty, every app's resources come from these folders instead of the run file's
    /// (the run file and the configuration file stay as they are).
    /// </summary>
    public IReadOnlyList<string> ResourcesPaths { get; init; } = [];

    /// <summary>The registry the run's sidecars are found in by sidecars of other processes (null: only in this run).</summary>
    public string? NameRegistryFile { get; init; }

    /// <summary>How long an app gets to accept connections on its port (first <c>dotnet run</c> builds).</summary>
    public TimeSpan AppStartTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How long an app gets to exit after SIGTERM before it is killed.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(5);
}

namespace Sidecar.Runner;

/// <summary>A multi-app run file (<c>dapr.yaml</c>) as written: nothing resolved, every value optional.</summary>
internal sealed record RunFile(string Path, int Version, RunFileSection Common, IReadOnlyList<RunFileSection> Apps)
{
    /// <summary>Keys the Dapr CLI knows but this runner does not act on: accepted, and reported as ignored.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The folder the run file lives in: <c>common</c> paths are relative to it.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;
}

/// <summary>
/// The <c>common</c> section or one entry of <c>apps</c>. <see cref="Line"/> is where it starts in the file, so errors
/// about it can name file:line.
/// </summary>
internal sealed record RunFileSection
{
    public int Line { get; init; }
    public string? AppDirPath { get; init; }
    public string? AppId { get; init; }
    public int? AppPort { get; init; }
    public string? AppProtocol { get; init; }
    public IReadOnlyList<string>? Command { get; init; }
    public int? DaprHttpPort { get; init; }
    public int? DaprGrpcPort { get; init; }

    /// <summary>The sidecar's Prometheus port; a free one when left out.</summary>
    public int? MetricsPort { get; init; }

    public IReadOnlyDictionary<string, string>? Env { get; init; }
    public IReadOnlyList<string>? ResourcesPaths { get; init; }
    public string? ConfigFilePath { get; init; }
    public bool? EnableAppHealthCheck { get; init; }
    public string? AppHealthCheckPath { get; init; }

    /// <summary>Seconds, as in the Dapr CLI.</summary>
    public int? AppHealthProbeInterval { get; init; }

    /// <summary>Milliseconds, as in the Dapr CLI.</summary>
    public int? AppHealthProbeTimeout { get; init; }

    public int? AppHealthThreshold { get; init; }

    /// <summary><c>appMaxConcurrency</c>; below 1 is unlimited, as in the Dapr CLI.</summary>
    public int? AppMaxConcurrency { get; init; }

    /// <summary><c>maxBodySize</c> in bytes (written as a quantity, e.g. <c>4Mi</c>).</summary>
    public long? MaxBodySize { get; init; }

    /// <summary><c>daprHTTPMaxRequestSize</c>, whole MB (older CLIs); <c>maxBodySize</c> wins.</summary>
    public int? DaprHttpMaxRequestSize { get; init; }

    public string? LogLevel { get; init; }
    public string? AppLogDestination { get; init; }
    public string? DaprdLogDestination { get; init; }
}

/// <summary>A run file that cannot be used; the message names the file and line (or the app) that is wrong.</summary>
internal sealed class RunFileException(string message) : Exception(message);

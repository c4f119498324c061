using System.Globalization;
using Bench.Shared;

namespace DaprPerf;

/// <summary>
/// The two sidecar processes of Dapr's invocation test: the caller's (no app) and the target's (the in-process
/// <see cref="TargetApp"/>), with an in-memory and a SQLite state store and an in-memory pub/sub, on free ports.
/// </summary>
internal sealed class Sidecars : IAsyncDisposable
{
    private readonly string _folder;

    private Sidecars(string folder, string suffix)
    {
        _folder = folder;
        TargetAppId = "perf-target-" + suffix;
    }

    public required Endpoint Caller { get; init; }

    public required Endpoint Target { get; init; }

    public string TargetAppId { get; }

    /// <summary>How long each sidecar took from process start to answering <c>/v1.0/healthz</c>.</summary>
    public required (TimeSpan Caller, TimeSpan Target) StartTimes { get; init; }

    public static async Task<Sidecars> StartAsync(int targetAppPort, IReadOnlyDictionary<string, string> environment)
    {
        var folder = Directory.CreateTempSubdirectory("daprperf-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "components.yaml"), $"""
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: perfstate
            spec:
              type: state.in-memory
              version: v1
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: perfsqlite
            spec:
              type: state.sqlite
              version: v1
              metadata:
                - name: databaseFile
                  value: {Path.Combine(folder, "state.db")}
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: perfpubsub
            spec:
              type: pubsub.in-memory
              version: v1
            """);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var caller = Endpoint.Start("caller sidecar", "perf-caller-" + suffix, null, folder, environment);
        var target = Endpoint.Start("target sidecar", "perf-target-" + suffix, targetAppPort, folder, environment);
        var callerStart = await caller.Process.WaitUntilAnswersAsync(new Uri($"http://127.0.0.1:{caller.HttpPort}/v1.0/healthz"));
        var targetStart = await target.Process.WaitUntilAnswersAsync(new Uri($"http://127.0.0.1:{target.HttpPort}/v1.0/healthz"));
        return new Sidecars(folder, suffix) { Caller = caller, Target = target, StartTimes = (callerStart, targetStart) };
    }

    public async ValueTask DisposeAsync()
    {
        await Caller.Process.DisposeAsync();
        await Target.Process.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>One sidecar process and its ports.</summary>
    internal sealed record Endpoint(ChildProcess Process, int HttpPort, int GrpcPort)
    {
        public static Endpoint Start(string name, string appId, int? appPort, string folder, IReadOnlyDictionary<string, string> environment)
        {
            var (http, grpc, metrics) = (ChildProcess.FreePort(), ChildProcess.FreePort(), ChildProcess.FreePort());
            string P(int port) => port.ToString(CultureInfo.InvariantCulture);
            var process = ChildProcess.Start(name, RepoLayout.SidecarDll,
            [
                "--app-id", appId, "--dapr-http-port", P(http), "--dapr-grpc-port", P(grpc), "--metrics-port", P(metrics),
                "--resources-path", folder, "--data-dir", Path.Combine(folder, appId), "--log-level", "warn",
                .. appPort is { } port ? new[] { "--app-port", P(port) } : [],
            ], environment);
            return new Endpoint(process, http, grpc);
        }
    }
}

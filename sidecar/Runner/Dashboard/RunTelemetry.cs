using Sidecar.Observability;

namespace Sidecar.Runner.Dashboard;

/// <summary>
/// Where a run's telemetry goes. An <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> in the runner's environment is passed through to
/// every app and sidecar; otherwise, unless <c>--no-dashboard</c>, the runner starts the Aspire Dashboard and points
/// every app (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_SERVICE_NAME</c>) and every sidecar's tracing, metrics and logs
/// at its OTLP endpoint. A platform without the dashboard package gets one line saying so, and the run goes on.
/// </summary>
internal sealed class RunTelemetry : IAsyncDisposable
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtlpProtocolVariable = "OTEL_EXPORTER_OTLP_PROTOCOL";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private RunTelemetry(DashboardProcess? dashboard, Uri? endpoint, string protocol)
    {
        Dashboard = dashboard;
        Endpoint = endpoint;
        Protocol = protocol;
    }

    public DashboardProcess? Dashboard { get; }

    /// <summary>The OTLP endpoint every app and sidecar sends to; null when telemetry stays in the processes.</summary>
    public Uri? Endpoint { get; }

    public string Protocol { get; }

    public static async Task<RunTelemetry> StartAsync(
        ProcessSupervisor supervisor, string dashboardName, bool dashboardWanted, Func<string, string?> environment,
        Action<string> say, Action<string> dashboardOutput, CancellationToken stop)
    {
        if (environment(OtlpEndpointVariable) is { Length: > 0 } given)
        {
            if (!Uri.TryCreate(given, UriKind.Absolute, out var uri))
            {
                throw new RunnerException($"{OtlpEndpointVariable} '{given}' is not an absolute URL (such as http://127.0.0.1:4317)");
            }

            var protocol = environment(OtlpProtocolVariable) is { Length: > 0 } p ? p : "grpc";
            say($"telemetry: {OtlpEndpointVariable} {uri} ({protocol}) passed through to every app and sidecar; no dashboard started");
            return new RunTelemetry(null, uri, protocol);
        }

        if (!dashboardWanted)
        {
            return new RunTelemetry(null, null, "grpc");
        }

        if (DashboardLocator.Find(out var why) is not { } executable)
        {
            say($"dashboard: {why}; running without it");
            return new RunTelemetry(null, null, "grpc");
        }

        var endpoints = DashboardEndpoints.Choose(DashboardEndpoints.IsFree, PortCheck.FreePort);
        var dashboard = DashboardProcess.Start(supervisor, dashboardName, executable, endpoints, dashboardOutput);
        if (!await dashboard.WaitUntilListeningAsync(StartTimeout, stop))
        {
            await dashboard.DisposeAsync();
            say($"dashboard: did not listen on {endpoints.UiUrl} within {StartTimeout.TotalSeconds:0} s; running without it");
            return new RunTelemetry(null, null, "grpc");
        }

        say($"dashboard: {dashboard.LoginUrl} (pid {dashboard.Pid}; OTLP {endpoints.OtlpGrpcUrl} gRPC, {endpoints.OtlpHttpUrl} HTTP)");
        return new RunTelemetry(dashboard, new Uri(endpoints.OtlpGrpcUrl), "grpc");
    }

    /// <summary>Points <paramref name="app"/> and its sidecar at this run's endpoint (nothing changes without one).</summary>
    public AppPlan Apply(AppPlan app) => Endpoint is null ? app
        : app with { Observability = app.Observability with { OtlpEndpoint = Endpoint, OtlpProtocol = Protocol } };

    public async ValueTask DisposeAsync()
    {
        if (Dashboard is not null)
        {
            await Dashboard.DisposeAsync();
        }
    }
}

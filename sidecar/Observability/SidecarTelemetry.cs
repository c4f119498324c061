using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sidecar.Hosting;

namespace Sidecar.Observability;

/// <summary>
/// One sidecar's spans and metrics. Every sidecar of a run lives in one process, so each has an ActivitySource and a
/// Meter of its own (<c>dapr-local.&lt;appId&gt;</c>) that only its own tracer and meter providers listen to. Metric names
/// and labels are daprd's, so its dashboards and alerts read ours.
/// </summary>
public sealed class SidecarTelemetry : IDisposable
{
    /// <summary>Prefix of every sidecar's ActivitySource and Meter name.</summary>
    public const string NamePrefix = "dapr-local.";

    private readonly KeyValuePair<string, object?> _appIdTag;

    public SidecarTelemetry(SidecarOptions options)
    {
        AppId = options.AppId;
        Name = NamePrefix + options.AppId;
        Source = new ActivitySource(Name);
        Meter = new Meter(Name);
        _appIdTag = new("app_id", AppId);

        HttpServerRequestCount = Meter.CreateCounter<long>("dapr_http_server_request_count",
            description: "Number of HTTP requests started in server.");
        HttpServerLatency = Meter.CreateHistogram<double>("dapr_http_server_latency",
            description: "HTTP request end-to-end latency in server (milliseconds).");
        GrpcServerCompletedRpcs = Meter.CreateCounter<long>("dapr_grpc_io_server_completed_rpcs",
            description: "Count of RPCs by method and status.");
        GrpcServerLatency = Meter.CreateHistogram<double>("dapr_grpc_io_server_server_latency",
            description: "Distribution of server latency in milliseconds, by method.");
        PubSubEgressCount = Meter.CreateCounter<long>("dapr_component_pubsub_egress_count",
            description: "The number of outbound pub/sub messages.");
        PubSubEgressLatency = Meter.CreateHistogram<double>("dapr_component_pubsub_egress_latencies",
            description: "The latency of publishing a message (milliseconds).");
        PubSubIngressCount = Meter.CreateCounter<long>("dapr_component_pubsub_ingress_count",
            description: "The number of incoming messages arriving from the pub/sub component.");
        PubSubIngressLatency = Meter.CreateHistogram<double>("dapr_component_pubsub_ingress_latencies",
            description: "The consuming app event processing latency (milliseconds).");
        WorkflowOperationCount = Meter.CreateCounter<long>("dapr_runtime_workflow_operation_count",
            description: "The number of successful/failed workflow operation requests.");
        WorkflowExecutionCount = Meter.CreateCounter<long>("dapr_runtime_workflow_execution_count",
            description: "The number of successful/failed/terminated workflow executions.");
        ActivityExecutionCount = Meter.CreateCounter<long>("dapr_runtime_workflow_activity_execution_count",
            description: "The number of successful/failed activity executions.");
        ActivityExecutionLatency = Meter.CreateHistogram<double>("dapr_runtime_workflow_activity_execution_latency",
            description: "The total time taken to run an activity to completion (milliseconds).");
    }

    public string AppId { get; }

    /// <summary>The ActivitySource and Meter name of this sidecar.</summary>
    public string Name { get; }

    public ActivitySource Source { get; }

    public Meter Meter { get; }

    internal Counter<long> HttpServerRequestCount { get; }
    internal Histogram<double> HttpServerLatency { get; }
    internal Counter<long> GrpcServerCompletedRpcs { get; }
    internal Histogram<double> GrpcServerLatency { get; }
    internal Counter<long> PubSubEgressCount { get; }
    internal Histogram<double> PubSubEgressLatency { get; }
    internal Counter<long> PubSubIngressCount { get; }
    internal Histogram<double> PubSubIngressLatency { get; }
    internal Counter<long> WorkflowOperationCount { get; }
    internal Counter<long> WorkflowExecutionCount { get; }
    internal Counter<long> ActivityExecutionCount { get; }
    internal Histogram<double> ActivityExecutionLatency { get; }

    /// <summary>
    /// Starts a span whose parent is the W3C context <paramref name="traceParent"/> (a new trace when it is missing or
    /// malformed) and makes it current. Null when nobody records this sidecar's spans (tracing off).
    /// </summary>
    public Activity? StartSpan(string name, ActivityKind kind, string? traceParent, string? traceState = null)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent);
        // Without a parent the span starts a trace: it must not become the child of a framework activity that is never exported.
        Activity.Current = null;
        return Source.StartActivity(name, kind, parent);
    }

    /// <summary>
    /// Starts a span under <paramref name="traceParent"/> without making it current, for work that outlives the calling
    /// method (a workflow activity out with a worker).
    /// </summary>
    public Activity? StartDetachedSpan(string name, ActivityKind kind, string? traceParent, string? traceState = null)
    {
        var previous = Activity.Current;
        try
        {
            return StartSpan(name, kind, traceParent, traceState);
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    /// <summary>The W3C <c>traceparent</c> of the current span when it is one of the sidecars' own, else null.</summary>
    public static string? CurrentTraceParent() => Activity.Current is { } span && IsSidecarSpan(span) ? span.Id : null;

    /// <summary>The <c>tracestate</c> of the current sidecar span (empty when it has none).</summary>
    public static string? CurrentTraceState() =>
        Activity.Current is { } span && IsSidecarSpan(span) ? span.TraceStateString : null;

    public static bool IsSidecarSpan(Activity span) => span.Source.Name.StartsWith(NamePrefix, StringComparison.Ordinal);

    /// <summary>Tags for a measurement: <c>app_id</c> first, as daprd labels every series.</summary>
    internal TagList Tags(params ReadOnlySpan<(string Key, object? Value)> tags)
    {
        var list = new TagList { _appIdTag };
        foreach (var (key, value) in tags)
        {
            list.Add(key, value);
        }

        return list;
    }

    /// <summary>Milliseconds since <paramref name="startTimestamp"/> (from <see cref="Stopwatch.GetTimestamp"/>).</summary>
    internal static double ElapsedMs(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;

    public void Dispose()
    {
        Source.Dispose();
        Meter.Dispose();
    }
}

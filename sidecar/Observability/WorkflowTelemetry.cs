using System.Collections.Concurrent;
using System.Diagnostics;
using Dapr.DurableTask.Protobuf;
using Grpc.Core;

namespace Sidecar.Observability;

/// <summary>
/// Workflow spans and metrics. A workflow remembers the trace of the call that started it (in its
/// <c>ExecutionStarted</c> event, so it survives a restart); each activity it schedules gets a span
/// <c>activity||&lt;name&gt;</c> under that trace, as durabletask-go names it in daprd, and the worker is handed that span's
/// context (<c>ActivityRequest.parentTraceContext</c>) so the activity's own calls join the trace.
/// Metrics: <c>dapr_runtime_workflow_operation_count</c>, <c>..._execution_count</c>, <c>..._activity_execution_count</c>
/// and <c>..._activity_execution_latency</c>.
/// </summary>
public sealed class WorkflowTelemetry(SidecarTelemetry telemetry)
{
    private const string TaskHubPrefix = "/TaskHubSidecarService/";

    private readonly ConcurrentDictionary<string, (Activity? Span, string Name, long Started)> _activities = new(StringComparer.Ordinal);

    /// <summary>The trace context a new workflow records: the current sidecar span's, or null.</summary>
    public static TraceContext? StartingTraceContext() =>
        SidecarTelemetry.CurrentTraceParent() is { } traceParent
            ? new TraceContext { TraceParent = traceParent, TraceState = SidecarTelemetry.CurrentTraceState() }
            : null;

    /// <summary>Starts the span of a dispatched activity; returns the context the worker should run it under.</summary>
    public TraceContext? ActivityDispatched(string token, string activityName, TraceContext? workflowTrace)
    {
        var span = telemetry.StartDetachedSpan($"activity||{activityName}", ActivityKind.Client,
            workflowTrace?.TraceParent, workflowTrace?.TraceState);
        span?.SetTag("durabletask.type", "activity");
        span?.SetTag("durabletask.task.name", activityName);
        // A requeued item keeps its first span: the activity is the same task.
        var entry = _activities.GetOrAdd(token, _ => (span, activityName, Stopwatch.GetTimestamp()));
        if (!ReferenceEquals(entry.Span, span))
        {
            span?.Dispose();
        }

        return entry.Span is { } s ? new TraceContext { TraceParent = s.Id, TraceState = s.TraceStateString } : workflowTrace;
    }

    /// <summary>Ends the activity's span and counts its execution.</summary>
    public void ActivityCompleted(string token, bool failed)
    {
        if (!_activities.TryRemove(token, out var entry))
        {
            return;
        }

        var status = failed ? "failed" : "success";
        var tags = telemetry.Tags(("namespace", ""), ("activity_name", entry.Name), ("status", status));
        telemetry.ActivityExecutionCount.Add(1, tags);
        telemetry.ActivityExecutionLatency.Record(SidecarTelemetry.ElapsedMs(entry.Started), tags);
        if (entry.Span is { } span)
        {
            if (failed)
            {
                span.SetStatus(ActivityStatusCode.Error);
            }

            span.Dispose();
        }
    }

    /// <summary>Counts a workflow that reached a final status.</summary>
    public void WorkflowFinished(string workflowName, OrchestrationStatus status) =>
        telemetry.WorkflowExecutionCount.Add(1, telemetry.Tags(("namespace", ""), ("workflow_name", workflowName),
            ("status", status switch
            {
                OrchestrationStatus.Completed => "success",
                OrchestrationStatus.Terminated => "terminated",
                _ => "failed",
            })));

    /// <summary>Counts a workflow API call under daprd's operation names.</summary>
    internal static void CountOperation(SidecarTelemetry telemetry, string method, StatusCode status)
    {
        if (!method.Contains(TaskHubPrefix, StringComparison.Ordinal))
        {
            return;
        }

        var operation = method[(method.IndexOf(TaskHubPrefix, StringComparison.Ordinal) + TaskHubPrefix.Length)..] switch
        {
            "StartInstance" => "create_workflow",
            "GetInstance" => "get_workflow",
            "RaiseEvent" => "add_event",
            "PurgeInstances" => "purge_workflow",
            "TerminateInstance" => "terminate_workflow",
            "SuspendInstance" => "suspend_workflow",
            "ResumeInstance" => "resume_workflow",
            _ => null,
        };
        if (operation is not null)
        {
            telemetry.WorkflowOperationCount.Add(1, telemetry.Tags(("namespace", ""), ("operation", operation),
                ("status", status == StatusCode.OK ? "success" : "failed")));
        }
    }
}

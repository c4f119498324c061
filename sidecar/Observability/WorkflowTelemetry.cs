using System.Collections.Concurrent;
using System.Diagnostics;
using Dapr.DurableTask.Protobuf;
using Grpc.Core;

namespace Sidecar.Observability;

/// <summary>
/// Workflow spans and metrics, named as durabletask-go names them in daprd: starting a workflow is a span
/// <c>create_orchestration||&lt;name&gt;</c> under the call that started it, the run is one span
/// <c>orchestration||&lt;name&gt;</c> from start to final status, and each activity is a span <c>activity||&lt;name&gt;</c>
/// under the run. The run's span id is kept in the <c>ExecutionStarted</c> event (<c>workflowSpanID</c>, as durabletask-go
/// keeps it), so activities scheduled after a sidecar restart still name it as their parent; the worker is handed the
/// activity span's context (<c>ActivityRequest.parentTraceContext</c>) so the activity's own calls join the trace.
/// Metrics: <c>dapr_runtime_workflow_operation_count</c>, <c>..._execution_count</c>, <c>..._activity_execution_count</c>
/// and <c>..._activity_execution_latency</c>.
/// </summary>
public sealed class WorkflowTelemetry(SidecarTelemetry telemetry)
{
    private const string TaskHubPrefix = "/TaskHubSidecarService/";

    private readonly ConcurrentDictionary<string, (Activity? Span, string Name, long Started)> _activities = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Activity> _runs = new(StringComparer.Ordinal);

    /// <summary>The trace context a new workflow records: the current sidecar span's, or null.</summary>
    public static TraceContext? StartingTraceContext() =>
        SidecarTelemetry.CurrentTraceParent() is { } traceParent
            ? new TraceContext { TraceParent = traceParent, TraceState = SidecarTelemetry.CurrentTraceState() }
            : null;

    /// <summary>
    /// The span <c>create_orchestration||&lt;name&gt;</c> around creating an instance, current while it lasts (so
    /// <see cref="StartingTraceContext"/> names it); null when tracing is off.
    /// </summary>
    public Activity? CreatingWorkflow(string instanceId, string workflowName)
    {
        var span = telemetry.StartSpan($"create_orchestration||{workflowName}", ActivityKind.Client,
            SidecarTelemetry.CurrentTraceParent(), SidecarTelemetry.CurrentTraceState());
        Describe(span, "orchestration", workflowName, instanceId);
        return span;
    }

    /// <summary>
    /// Starts the run's span <c>orchestration||&lt;name&gt;</c> under the trace <paramref name="started"/> records, and
    /// records the span's id in it. The span ends, and is exported, when the workflow reaches a final status.
    /// </summary>
    public void WorkflowStarted(string instanceId, ExecutionStartedEvent started)
    {
        var parent = started.ParentTraceContext;
        var span = telemetry.StartDetachedSpan($"orchestration||{started.Name}", ActivityKind.Server, parent?.TraceParent, parent?.TraceState);
        if (span is null)
        {
            return;
        }

        Describe(span, "orchestration", started.Name, instanceId);
        started.WorkflowSpanID = span.SpanId.ToHexString();
        if (_runs.TryRemove(instanceId, out var replaced))
        {
            replaced.Dispose();
        }

        _runs[instanceId] = span;
    }

    /// <summary>The context an activity of this run is a child of: the run's span, else the call that started it.</summary>
    public static TraceContext? RunTraceContext(ExecutionStartedEvent? started)
    {
        var parent = started?.ParentTraceContext;
        if (parent is null || started!.WorkflowSpanID is not { Length: 16 } spanId
            || !ActivityContext.TryParse(parent.TraceParent, parent.TraceState, out var context))
        {
            return parent;
        }

        var flags = context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00";
        return new TraceContext { TraceParent = $"00-{context.TraceId.ToHexString()}-{spanId}-{flags}", TraceState = parent.TraceState };
    }

    /// <summary>Starts the span of a dispatched activity; returns the context the worker should run it under.</summary>
    public TraceContext? ActivityDispatched(
        string token, string instanceId, int taskId, string activityName, TraceContext? workflowTrace)
    {
        var span = telemetry.StartDetachedSpan($"activity||{activityName}", ActivityKind.Client,
            workflowTrace?.TraceParent, workflowTrace?.TraceState);
        Describe(span, "activity", activityName, instanceId);
        span?.SetTag("durabletask.task.task_id", taskId);
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

    /// <summary>Counts a workflow that reached a final status, and ends its run's span.</summary>
    public void WorkflowFinished(string instanceId, string workflowName, OrchestrationStatus status)
    {
        telemetry.WorkflowExecutionCount.Add(1, telemetry.Tags(("namespace", ""), ("workflow_name", workflowName),
            ("status", status switch
            {
                OrchestrationStatus.Completed => "success",
                OrchestrationStatus.Terminated => "terminated",
                _ => "failed",
            })));
        if (_runs.TryRemove(instanceId, out var span))
        {
            // durabletask-go's runtime status names: COMPLETED, FAILED, TERMINATED...
            span.SetTag("durabletask.runtime_status", status.ToString().ToUpperInvariant());
            if (status == OrchestrationStatus.Failed)
            {
                span.SetStatus(ActivityStatusCode.Error);
            }

            span.Dispose();
        }
    }

    private static void Describe(Activity? span, string type, string name, string instanceId)
    {
        span?.SetTag("durabletask.type", type);
        span?.SetTag("durabletask.task.name", name);
        span?.SetTag("durabletask.task.instance_id", instanceId);
    }

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

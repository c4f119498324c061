using Sidecar.Invocation;

namespace Sidecar.Workflow.Peers;

/// <summary>
/// The internal workflow routes one sidecar calls on another's HTTP port (under
/// <see cref="InternalInvocation.WorkflowPathPrefix"/>, with the callee's registration token, every answer naming the
/// registration that gave it, as for invocation). Bodies are durabletask protobuf messages
/// (<see cref="ContentType"/>); the few fields no message carries go in headers.
/// </summary>
internal static class WorkflowPeerProtocol
{
    public const string ContentType = "application/x-protobuf";

    /// <summary>POST a <c>WorkItem</c> (the <c>ActivityRequest</c> and the workflow's completion token); headers name the source.</summary>
    public const string RunActivity = InternalInvocation.WorkflowPathPrefix + "/activities/run";

    /// <summary>POST an <c>ActivityResponse</c>; the answer's <see cref="OutcomeHeader"/> says whether it was recorded.</summary>
    public const string ActivityResult = InternalInvocation.WorkflowPathPrefix + "/activities/result";

    /// <summary>POST an <c>ExecutionStartedEvent</c> (child id, name, input, parent).</summary>
    public const string StartChild = InternalInvocation.WorkflowPathPrefix + "/children/start";

    /// <summary>POST an <c>ExecutionStartedEvent</c>: start the child, or report its end again.</summary>
    public const string ResumeChild = InternalInvocation.WorkflowPathPrefix + "/children/resume";

    /// <summary>POST a <c>HistoryEvent</c> (the child's end) with the parent in <see cref="InstanceHeader"/> and <see cref="ExecutionHeader"/>.</summary>
    public const string ChildResult = InternalInvocation.WorkflowPathPrefix + "/children/result";

    /// <summary>POST a <c>TerminateRequest</c>.</summary>
    public const string Terminate = InternalInvocation.WorkflowPathPrefix + "/terminate";

    public const string SourceAppHeader = "dapr-local-workflow-source-app";

    public const string SourceInstanceHeader = "dapr-local-workflow-source-instance";

    public const string InstanceHeader = "dapr-local-workflow-instance";

    public const string ExecutionHeader = "dapr-local-workflow-execution";

    /// <summary>On result answers: <see cref="Recorded"/> or <see cref="Stale"/> (the workflow no longer wants it).</summary>
    public const string OutcomeHeader = "dapr-local-workflow-outcome";

    public const string Recorded = "recorded";

    public const string Stale = "stale";
}

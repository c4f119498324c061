using Dapr.DurableTask.Protobuf;

namespace Sidecar.Workflow.Engine;

/// <summary>
/// One sidecar instance of another app, as the engine hands it workflow work a workflow addressed to that app (daprd:
/// the target app's activity and workflow actors, reached through placement). In this process it is that sidecar's
/// engine; in another, its internal workflow routes. Every operation may be repeated: the receiver ignores what it
/// already has. A peer that cannot be reached throws <see cref="WorkflowPeerUnavailableException"/>.
/// </summary>
internal interface IWorkflowPeer
{
    /// <summary>The instance this is (its registration id, or the in-process key): the one that accepted work.</summary>
    string Key { get; }

    /// <summary>
    /// Runs the activity on the peer's workers; its result comes back to <paramref name="source"/> (through
    /// <see cref="RecordActivityResultAsync"/> on the source's peer). A repeat of work the peer holds changes nothing
    /// but where the result goes.
    /// </summary>
    Task RunActivityAsync(ActivityRequest request, PeerSource source, CancellationToken cancellationToken);

    /// <summary>Records an activity result (its token is the workflow's); false when the workflow no longer wants it.</summary>
    Task<bool> RecordActivityResultAsync(ActivityResponse response, CancellationToken cancellationToken);

    /// <summary>Starts a child workflow (<paramref name="child"/> names it, its input and its parent); an existing one is fine.</summary>
    Task StartChildAsync(ExecutionStartedEvent child, CancellationToken cancellationToken);

    /// <summary>Starts the child when it never started, or reports its end to its parent again when it finished.</summary>
    Task ResumeChildAsync(ExecutionStartedEvent child, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a child's end to its parent's inbox, only while the parent runs the generation
    /// <see cref="ChildResult.ParentExecutionId"/> and still waits for that task; false otherwise (a duplicate or stale).
    /// </summary>
    Task<bool> AppendChildResultAsync(ChildResult result, CancellationToken cancellationToken);

    /// <summary>Terminates the instance (and, when <paramref name="recursive"/>, its children); an unknown or finished one is fine.</summary>
    Task TerminateAsync(string instanceId, string? output, bool recursive, CancellationToken cancellationToken);
}

/// <summary>
/// Finds the sidecars of other apps for the engine: in this process or, through the name registry, in another.
/// </summary>
internal interface IWorkflowPeers
{
    /// <summary>This sidecar's app id: the source of work it sends, and the app a router naming it means.</summary>
    string AppId { get; }

    /// <summary>This sidecar instance's key (registration id), so answers come back to it while it lives.</summary>
    string SelfKey { get; }

    /// <summary>The app another app's work is for, or null when it is this app's own (no router, or one naming this app).</summary>
    string? OtherApp(TaskRouter? router);

    /// <summary>
    /// A sidecar of <paramref name="appId"/>: the instance <paramref name="preferredKey"/> while it is registered, else
    /// any.
    /// </summary>
    /// <exception cref="WorkflowPeerUnavailableException">No sidecar serves the app now.</exception>
    Task<IWorkflowPeer> ResolveAsync(string appId, string? preferredKey, CancellationToken cancellationToken);
}

/// <summary>Where peer work came from: the source app, its sidecar instance, and the workflow's completion token there.</summary>
internal sealed record PeerSource(string AppId, string InstanceKey, string Token);

/// <summary>A child's end for its parent: the parent instance and generation, and the completed or failed event.</summary>
internal sealed record ChildResult(string ParentInstanceId, string ParentExecutionId, HistoryEvent Event);

/// <summary>The app a workflow addressed work to cannot be reached now; the work is tried again later.</summary>
internal sealed class WorkflowPeerUnavailableException(string message) : Exception(message);

using Dapr.DurableTask.Protobuf;
using Sidecar.Workflow.Engine;

namespace Sidecar.Workflow.Peers;

/// <summary>A sidecar of this process (one <c>dapr-local run</c>): its engine is called directly.</summary>
internal sealed class LocalWorkflowPeer(WorkflowEngine engine, string key) : IWorkflowPeer
{
    public string Key => key;

    public Task RunActivityAsync(ActivityRequest request, PeerSource source, CancellationToken cancellationToken)
    {
        engine.AcceptPeerActivity(request, source);
        return Task.CompletedTask;
    }

    public Task<bool> RecordActivityResultAsync(ActivityResponse response, CancellationToken cancellationToken) =>
        engine.RecordPeerActivityResultAsync(response, cancellationToken);

    public Task StartChildAsync(ExecutionStartedEvent child, CancellationToken cancellationToken) =>
        engine.StartChildForPeerAsync(child, cancellationToken);

    public Task ResumeChildAsync(ExecutionStartedEvent child, CancellationToken cancellationToken) =>
        engine.ResumeChildForPeerAsync(child);

    public Task<bool> AppendChildResultAsync(ChildResult result, CancellationToken cancellationToken) =>
        engine.AppendChildResultAsync(result, cancellationToken);

    public Task TerminateAsync(string instanceId, string? output, bool recursive, CancellationToken cancellationToken) =>
        engine.TerminateForPeerAsync(instanceId, output, recursive, cancellationToken);
}

using Dapr.DurableTask.Protobuf;

namespace Sidecar.Workflow;

/// <summary>
/// The workflow building block: what the <c>TaskHubSidecarService</c> gRPC surface calls. Client operations manage
/// instances; worker operations stream work items and accept their results.
/// </summary>
public interface IWorkflowEngine
{
    Task<string> StartAsync(CreateInstanceRequest request, CancellationToken cancellationToken);

    /// <summary>The instance's state, or null when it does not exist.</summary>
    Task<WorkflowState?> GetAsync(string instanceId, bool includeInputsAndOutputs, CancellationToken cancellationToken);

    /// <summary>Waits until the instance has left PENDING; null when it does not exist.</summary>
    Task<WorkflowState?> WaitForStartAsync(string instanceId, bool includeInputsAndOutputs, CancellationToken cancellationToken);

    /// <summary>Waits until the instance is COMPLETED, FAILED or TERMINATED; null when it does not exist.</summary>
    Task<WorkflowState?> WaitForCompletionAsync(string instanceId, bool includeInputsAndOutputs, CancellationToken cancellationToken);

    Task RaiseEventAsync(string instanceId, string name, string? input, CancellationToken cancellationToken);

    Task TerminateAsync(string instanceId, string? output, bool recursive, CancellationToken cancellationToken);

    Task SuspendAsync(string instanceId, string? reason, CancellationToken cancellationToken);

    Task ResumeAsync(string instanceId, string? reason, CancellationToken cancellationToken);

    /// <summary>Deletes a finished instance (and its children when <paramref name="recursive"/>); returns how many were deleted.</summary>
    Task<int> PurgeAsync(string instanceId, bool recursive, CancellationToken cancellationToken);

    /// <summary>Deletes every finished instance the filter selects; returns how many were deleted.</summary>
    Task<int> PurgeAsync(PurgeInstanceFilter filter, CancellationToken cancellationToken);

    /// <summary>The instance's committed history (empty when it does not exist).</summary>
    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Streams work items to one connected worker until it disconnects.</summary>
    Task StreamWorkItemsAsync(Func<WorkItem, Task> write, CancellationToken cancellationToken);

    /// <summary>Applies a worker's orchestration result; returns once the new history is durable. Stale results are ignored.</summary>
    Task CompleteWorkflowTaskAsync(WorkflowResponse response, CancellationToken cancellationToken);

    /// <summary>Records an activity's result; returns once it is durable. Results for unknown or finished work are ignored.</summary>
    Task CompleteActivityTaskAsync(ActivityResponse response, CancellationToken cancellationToken);
}

namespace Sidecar.Workflow.Api;

/// <summary>
/// The workflow management building block (daprd's <c>universal/workflow.go</c>) that both the HTTP
/// (<c>/v1.0-beta1/workflows/...</c>) and the gRPC (<c>StartWorkflowBeta1</c>, ...) surfaces call. Failures are
/// <see cref="Errors.DaprException"/>s carrying daprd's error codes.
/// </summary>
public interface IWorkflowApi
{
    /// <summary>
    /// Starts <paramref name="workflowName"/>; a missing <paramref name="instanceId"/> gets a random one. Returns the id.
    /// daprd's start option <c>dapr.workflow.start_time</c> (RFC 3339) in <paramref name="options"/> delays the start.
    /// </summary>
    Task<string> StartAsync(
        string workflowName, string? instanceId, string? input, IReadOnlyDictionary<string, string> options, CancellationToken cancellationToken);

    /// <summary>The instance, or null when it does not exist (daprd's gRPC answers that with an empty response, HTTP with 404).</summary>
    Task<WorkflowInfo?> GetAsync(string instanceId, CancellationToken cancellationToken);

    Task RaiseEventAsync(string instanceId, string eventName, string? eventData, CancellationToken cancellationToken);

    Task PauseAsync(string instanceId, CancellationToken cancellationToken);

    Task ResumeAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Terminates the instance and, as daprd does, its unfinished child workflows.</summary>
    Task TerminateAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Deletes a finished instance and, as daprd does, its child workflows.</summary>
    Task PurgeAsync(string instanceId, CancellationToken cancellationToken);
}

namespace Sidecar.Workflow.Api;

/// <summary>
/// One workflow instance as the workflow management API reports it (daprd's <c>GetWorkflowResponse</c>):
/// <paramref name="RuntimeStatus"/> in daprd's spelling (RUNNING, COMPLETED, ...) and <paramref name="Properties"/>
/// holding <c>dapr.workflow.input</c>, <c>.output</c>, <c>.custom_status</c> and <c>.failure.*</c> when present.
/// </summary>
public sealed record WorkflowInfo(
    string InstanceId,
    string WorkflowName,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    string RuntimeStatus,
    IReadOnlyDictionary<string, string> Properties);

using Dapr.Workflow;
using Dapr.Workflow.Abstractions;

namespace Orders.Tests.Workflows.Activities;

/// <summary>The little an activity may read about its invocation.</summary>
internal sealed class FakeActivityContext(string instanceId, string activityName) : WorkflowActivityContext
{
    public override TaskIdentifier Identifier { get; } = new(activityName);

    public override string TaskExecutionKey { get; } = $"{instanceId}::0";

    public override string InstanceId { get; } = instanceId;
}

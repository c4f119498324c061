using Dapr.Workflow;

namespace Orders.Tests.Workflows;

/// <summary>One activity call the workflow made, as <see cref="FakeWorkflowContext"/> recorded it.</summary>
internal sealed record ActivityCall(string Name, object? Input, WorkflowTaskOptions? Options);

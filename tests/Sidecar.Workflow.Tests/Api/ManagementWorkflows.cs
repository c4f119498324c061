using Dapr.Workflow;

namespace Sidecar.Workflow.Tests.Api;

/// <summary>The workflows the management API tests drive, registered on a real <c>Dapr.Workflow</c> worker.</summary>
internal static class ManagementWorkflows
{
    public static void Register(WorkflowRuntimeOptions o)
    {
        o.RegisterWorkflow<string, string>("AwaitApproval", async (ctx, order) =>
        {
            ctx.SetCustomStatus("waiting for approval");
            var approver = await ctx.WaitForExternalEventAsync<string>("approval");
            return $"{order} approved by {approver}";
        });
        o.RegisterWorkflow<string, string>("Failing", (_, order) =>
            throw new InvalidOperationException($"{order} cannot be shipped"));
    }
}

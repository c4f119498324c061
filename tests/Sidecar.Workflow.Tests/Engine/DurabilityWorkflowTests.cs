using System.Collections.Concurrent;
using Dapr.Workflow;
using Sidecar.Workflow.Tests.Infrastructure;

namespace Sidecar.Workflow.Tests.Engine;

/// <summary>Workflow state survives a sidecar restart on the same SQLite file: the workflow finishes and no completed activity runs again.</summary>
public sealed class DurabilityWorkflowTests
{
    [Fact]
    public async Task Restart_HalfwayThroughAWorkflow_FinishesIt_WithoutRerunningCompletedActivities()
    {
        var invocations = new ConcurrentDictionary<string, int>();
        await using var harness = await WorkflowHarness.StartAsync(o =>
        {
            o.RegisterWorkflow<string, string>("TwoSteps", async (ctx, input) =>
            {
                var first = await ctx.CallActivityAsync<string>("Step", input + ":1");
                ctx.SetCustomStatus("waiting");
                var go = await ctx.WaitForExternalEventAsync<string>("go");
                var second = await ctx.CallActivityAsync<string>("Step", input + ":2");
                return $"{first},{go},{second}";
            });
            o.RegisterActivity<string, string>("Step", (_, step) =>
            {
                invocations.AddOrUpdate(step, 1, (_, n) => n + 1);
                return Task.FromResult(step);
            });
        }, sqlite: true);
        var id = "durable-" + Guid.NewGuid().ToString("N");
        await harness.Client.ScheduleNewWorkflowAsync("TwoSteps", id, id);
        await harness.WaitUntilAsync(id, s => s.ReadCustomStatusAs<string>() == "waiting");

        await harness.RestartAsync();
        await harness.Client.RaiseEventAsync(id, "go", "restarted");
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal($"{id}:1,restarted,{id}:2", state.ReadOutputAs<string>());
        Assert.Equal(1, invocations[$"{id}:1"]);
        Assert.Equal(1, invocations[$"{id}:2"]);
    }
}

using System.Collections.Concurrent;
using Dapr.Workflow;
using Sidecar.Workflow.Tests.Infrastructure;

namespace Sidecar.Workflow.Tests.Engine;

/// <summary>Work sent to a worker that goes away is not lost.</summary>
public sealed class RedeliveryWorkflowTests
{
    [Fact]
    public async Task ActivityInFlightDuringARestart_IsRedelivered_AndTheWorkflowCompletes()
    {
        var attempts = new ConcurrentDictionary<string, int>();
        var firstAttemptStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var harness = await WorkflowHarness.StartAsync(o =>
        {
            o.RegisterWorkflow<string, string>("Slow", (ctx, input) => ctx.CallActivityAsync<string>("Hang", input));
            o.RegisterActivity<string, string>("Hang", async (ctx, input) =>
            {
                if (attempts.AddOrUpdate(ctx.InstanceId, 1, (_, n) => n + 1) == 1)
                {
                    // The first attempt never finishes: its worker and sidecar are stopped under it.
                    firstAttemptStarted.TrySetResult();
                    await Task.Delay(Timeout.Infinite);
                }

                return input + " done";
            });
        }, sqlite: true);
        var id = "redeliver-" + Guid.NewGuid().ToString("N");
        await harness.Client.ScheduleNewWorkflowAsync("Slow", id, id);
        await firstAttemptStarted.Task.WaitAsync(TimeSpan.FromSeconds(5));

        await harness.RestartAsync();
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal(id + " done", state.ReadOutputAs<string>());
        Assert.Equal(2, attempts[id]);
    }
}

using Dapr.Workflow;
using Sidecar.Workflow.Tests.Infrastructure;

namespace Sidecar.Workflow.Tests.Engine;

/// <summary>Child workflows, continue-as-new, and managing instances: terminate, suspend/resume, purge.</summary>
public sealed class LifecycleWorkflowTests
{
    private static void Register(WorkflowRuntimeOptions o)
    {
        o.RegisterWorkflow<string, string>("Parent", async (ctx, input) =>
            "parent(" + await ctx.CallChildWorkflowAsync<string>("Child", input) + ")");
        o.RegisterWorkflow<string, string>("Child", (ctx, input) => ctx.CallActivityAsync<string>("Shout", input));
        o.RegisterActivity<string, string>("Shout", (_, input) => Task.FromResult(input.ToUpperInvariant()));
        o.RegisterWorkflow<string, string>("Waiter", (ctx, _) => ctx.WaitForExternalEventAsync<string>("go"));
        o.RegisterWorkflow<int, int>("Counter", (ctx, n) =>
        {
            if (n < 3)
            {
                ctx.ContinueAsNew(n + 1);
                return Task.FromResult(-1);
            }

            return Task.FromResult(n);
        });
    }

    [Fact]
    public async Task ChildWorkflow_ResultFlowsBackToTheParent()
    {
        await using var harness = await WorkflowHarness.StartAsync(Register);
        var id = "parent-" + Guid.NewGuid().ToString("N");

        await harness.Client.ScheduleNewWorkflowAsync("Parent", id, "hi");
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal("parent(HI)", state.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ContinueAsNew_RestartsWithTheNewInput_UntilTheWorkflowReturns()
    {
        await using var harness = await WorkflowHarness.StartAsync(Register);
        var id = "counter-" + Guid.NewGuid().ToString("N");

        await harness.Client.ScheduleNewWorkflowAsync("Counter", id, 0);
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal(3, state.ReadOutputAs<int>());
    }

    [Fact]
    public async Task Terminate_EndsARunningWorkflow_AsTerminated()
    {
        await using var harness = await WorkflowHarness.StartAsync(Register);
        var id = "terminate-" + Guid.NewGuid().ToString("N");
        await harness.Client.ScheduleNewWorkflowAsync("Waiter", id, "");
        await harness.WaitUntilAsync(id, s => s.RuntimeStatus == WorkflowRuntimeStatus.Running);

        await harness.Client.TerminateWorkflowAsync(id, "stopped by test");
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Terminated, state.RuntimeStatus);
    }

    [Fact]
    public async Task Suspend_HoldsEventsUntilResume_ThenTheWorkflowCompletes()
    {
        await using var harness = await WorkflowHarness.StartAsync(Register);
        var id = "suspend-" + Guid.NewGuid().ToString("N");
        await harness.Client.ScheduleNewWorkflowAsync("Waiter", id, "");
        await harness.WaitUntilAsync(id, s => s.RuntimeStatus == WorkflowRuntimeStatus.Running);

        await harness.Client.SuspendWorkflowAsync(id, "hold on");
        await harness.Client.RaiseEventAsync(id, "go", "resumed value");
        await Task.Delay(300);
        var suspended = await harness.Client.GetWorkflowStateAsync(id);
        await harness.Client.ResumeWorkflowAsync(id, "carry on");
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Suspended, suspended!.RuntimeStatus);
        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal("resumed value", state.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Purge_RemovesAFinishedWorkflow()
    {
        await using var harness = await WorkflowHarness.StartAsync(Register);
        var id = "purge-" + Guid.NewGuid().ToString("N");
        await harness.Client.ScheduleNewWorkflowAsync("Child", id, "bye");
        await harness.WaitForCompletionAsync(id);

        var purged = await harness.Client.PurgeInstanceAsync(id);
        var state = await harness.Client.GetWorkflowStateAsync(id);

        Assert.True(purged);
        Assert.False(state?.Exists ?? false);
    }

    [Fact]
    public async Task ScheduledStart_StaysPendingUntilItsStartTime_ThenRuns()
    {
        await using var harness = await WorkflowHarness.StartAsync(Register);
        var id = "scheduled-" + Guid.NewGuid().ToString("N");
        // Far enough ahead that scheduling and reading back end before it on a loaded machine (1 s did not, in CI).
        var startAt = DateTimeOffset.UtcNow.AddSeconds(4);

        await harness.Client.ScheduleNewWorkflowAsync("Child", id, "later", startAt);
        var before = await harness.Client.GetWorkflowStateAsync(id);
        var readAt = DateTimeOffset.UtcNow;
        var state = await harness.WaitForCompletionAsync(id, TimeSpan.FromSeconds(20));

        Assert.True(readAt < startAt, $"the state was read {(readAt - startAt).TotalMilliseconds:F0} ms after the start time");
        Assert.Equal(WorkflowRuntimeStatus.Pending, before!.RuntimeStatus);
        Assert.Equal("LATER", state.ReadOutputAs<string>());
        Assert.True(DateTimeOffset.UtcNow >= startAt);
    }

    [Fact]
    public async Task GetState_OfAnUnknownInstance_SaysItDoesNotExist()
    {
        await using var harness = await WorkflowHarness.StartAsync(Register);

        var state = await harness.Client.GetWorkflowStateAsync("missing-" + Guid.NewGuid().ToString("N"));

        Assert.False(state?.Exists ?? false);
    }
}

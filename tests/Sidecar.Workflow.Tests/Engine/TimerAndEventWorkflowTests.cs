using Dapr.Workflow;
using Sidecar.Workflow.Tests.Infrastructure;

namespace Sidecar.Workflow.Tests.Engine;

/// <summary>Durable timers and external events through the real SDK.</summary>
public sealed class TimerAndEventWorkflowTests
{
    private static void Register(WorkflowRuntimeOptions o)
    {
        o.RegisterWorkflow<int, double>("Sleeper", async (ctx, ms) =>
        {
            var before = ctx.CurrentUtcDateTime;
            await ctx.CreateTimer(TimeSpan.FromMilliseconds(ms));
            return (ctx.CurrentUtcDateTime - before).TotalMilliseconds;
        });
        o.RegisterWorkflow<int, string>("Approval", async (ctx, timeoutMs) =>
        {
            try
            {
                return timeoutMs > 0
                    ? await ctx.WaitForExternalEventAsync<string>("approval", TimeSpan.FromMilliseconds(timeoutMs))
                    : await ctx.WaitForExternalEventAsync<string>("approval");
            }
            catch (TaskCanceledException)
            {
                return "timed out";
            }
        });
        o.RegisterWorkflow<string, string>("LateListener", async (ctx, _) =>
        {
            // Busy with a timer first: the event arrives before the workflow starts waiting for it.
            await ctx.CreateTimer(TimeSpan.FromMilliseconds(500));
            return await ctx.WaitForExternalEventAsync<string>("approval");
        });
    }

    [Fact]
    public async Task Timer_DelaysTheWorkflow_ByItsDuration()
    {
        await using var harness = await WorkflowHarness.StartAsync(Register);
        var id = "timer-" + Guid.NewGuid().ToString("N");
        var started = DateTimeOffset.UtcNow;

        await harness.Client.ScheduleNewWorkflowAsync("Sleeper", id, 700);
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(700));
        Assert.True(state.ReadOutputAs<double>() >= 700, $"workflow time advanced only {state.ReadOutputAs<double>()} ms");
    }

    [Fact]
    public async Task ExternalEventWithoutTimeout_CompletesTheWorkflowWithTheEventPayload()
    {
        await using var harness = await WorkflowHarness.StartAsync(Register);
        var id = "event-" + Guid.NewGuid().ToString("N");

        await harness.Client.ScheduleNewWorkflowAsync("Approval", id, 0);
        await harness.WaitUntilAsync(id, s => s.RuntimeStatus == WorkflowRuntimeStatus.Running);
        await harness.Client.RaiseEventAsync(id, "approval", "approved by ann");
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal("approved by ann", state.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ExternalEventWithTimeout_WhenNoEventArrives_TimesOut()
    {
        await using var harness = await WorkflowHarness.StartAsync(Register);
        var id = "event-timeout-" + Guid.NewGuid().ToString("N");

        await harness.Client.ScheduleNewWorkflowAsync("Approval", id, 500);
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal("timed out", state.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ExternalEventWithTimeout_WhenTheEventArrivesInTime_ReturnsIt()
    {
        await using var harness = await WorkflowHarness.StartAsync(Register);
        var id = "event-in-time-" + Guid.NewGuid().ToString("N");

        await harness.Client.ScheduleNewWorkflowAsync("Approval", id, 5000);
        await harness.WaitUntilAsync(id, s => s.RuntimeStatus == WorkflowRuntimeStatus.Running);
        await harness.Client.RaiseEventAsync(id, "approval", "quick yes");
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal("quick yes", state.ReadOutputAs<string>());
    }

    [Fact]
    public async Task EventRaisedBeforeTheWorkflowWaits_IsKept_AndDeliveredWhenItWaits()
    {
        await using var harness = await WorkflowHarness.StartAsync(Register);
        var id = "early-event-" + Guid.NewGuid().ToString("N");

        await harness.Client.ScheduleNewWorkflowAsync("LateListener", id, "");
        await harness.Client.RaiseEventAsync(id, "approval", "early bird");
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal("early bird", state.ReadOutputAs<string>());
    }
}

using Dapr.Workflow;
using EndToEnd.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EndToEnd.Tests.NameResolution;

/// <summary>
/// Multi-app workflows between two <c>dapr-local</c> processes started apart that share only a name registry file
/// (daprd 1.16+: work whose <c>TaskRouter.targetAppID</c> names another app runs on that app's workers,
/// <c>pkg/runtime/wfengine</c> and <c>pkg/actors/targets/activity</c>). Each process has its own workflow state store and
/// an SDK worker of this test process.
/// </summary>
public sealed class CrossProcessWorkflowTests
{
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ActivityAndChildWorkflowAddressedToTheOtherProcess_RunThere_AndTheWorkflowCompletes()
    {
        await using var sidecars = new SeparateSidecars();
        await using var apps = new WorkflowApps(sidecars);
        var callerId = "wf-caller-" + Guid.NewGuid().ToString("N")[..6];
        var calleeId = "wf-callee-" + Guid.NewGuid().ToString("N")[..6];
        var (_, caller) = await apps.StartAsync(callerId, options =>
        {
            options.RegisterWorkflow<string, string>("Caller", async (ctx, input) =>
            {
                var activity = await ctx.CallActivityAsync<string>("WhereAmI", input, new WorkflowTaskOptions(TargetAppId: calleeId));
                var child = await ctx.CallChildWorkflowAsync<string>("Child", input, new ChildWorkflowTaskOptions(TargetAppId: calleeId));
                return $"{activity}|{child}";
            });
            options.RegisterActivity<string, string>("WhereAmI", (_, input) => Task.FromResult("caller:" + input));
        });
        await apps.StartAsync(calleeId, options =>
        {
            options.RegisterActivity<string, string>("WhereAmI", (_, input) => Task.FromResult("callee:" + input));
            options.RegisterWorkflow<string, string>("Child", async (ctx, input) =>
                "child " + await ctx.CallActivityAsync<string>("WhereAmI", input));
        });
        var client = caller.Services.GetRequiredService<DaprWorkflowClient>();
        var id = "xproc-" + Guid.NewGuid().ToString("N");

        await client.ScheduleNewWorkflowAsync("Caller", id, "x");
        using var cts = new CancellationTokenSource(CompletionTimeout);
        var state = await client.WaitForWorkflowCompletionAsync(id, true, cts.Token);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal("callee:x|child callee:x", state.ReadOutputAs<string>());
    }

    [Fact]
    public async Task TargetProcessKilledAndRestartedMidActivity_TheWorkflowStillCompletes()
    {
        await using var sidecars = new SeparateSidecars();
        await using var apps = new WorkflowApps(sidecars);
        var callerId = "wf-caller-" + Guid.NewGuid().ToString("N")[..6];
        var calleeId = "wf-callee-" + Guid.NewGuid().ToString("N")[..6];
        var runs = 0;
        var firstRunEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirstRun = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (_, caller) = await apps.StartAsync(callerId, options => options.RegisterWorkflow<string, string>("Caller", async (ctx, input) =>
            await ctx.CallActivityAsync<string>("Slow", input, new WorkflowTaskOptions(TargetAppId: calleeId))));
        void RegisterCallee(WorkflowRuntimeOptions options) => options.RegisterActivity<string, string>("Slow", async (_, input) =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                // The first run is under way when its sidecar is killed; it never reports back.
                firstRunEntered.TrySetResult();
                return await releaseFirstRun.Task;
            }

            return "callee:" + input;
        });
        var (calleeSidecar, calleeWorker) = await apps.StartAsync(calleeId, RegisterCallee);
        var client = caller.Services.GetRequiredService<DaprWorkflowClient>();
        var id = "xproc-" + Guid.NewGuid().ToString("N");
        await client.ScheduleNewWorkflowAsync("Caller", id, "x");
        await firstRunEntered.Task.WaitAsync(CompletionTimeout);

        Processes.Signal(calleeSidecar.Pid, Processes.SigKill);
        await calleeSidecar.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await WorkflowWorker.StopAsync(calleeWorker);
        await apps.StartAsync(calleeId, RegisterCallee);
        using var cts = new CancellationTokenSource(CompletionTimeout);
        var state = await client.WaitForWorkflowCompletionAsync(id, true, cts.Token);
        releaseFirstRun.TrySetResult("late");

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal("callee:x", state.ReadOutputAs<string>());
        Assert.Equal(2, runs);
    }
}

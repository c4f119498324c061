using Dapr.Workflow;

namespace Sidecar.Workflow.Tests.CrossApp;

/// <summary>
/// Multi-app workflows (daprd 1.16+, <c>pkg/runtime/wfengine</c>: work whose <c>TaskRouter.targetAppID</c> names another
/// app goes to that app's activity or workflow actor): an activity or child workflow addressed to another app id runs
/// on that app's worker, and its result comes back to the calling workflow. Both apps register an activity of the same
/// name that says which app ran it, so a call that stayed on the caller's worker gives the wrong answer. Run twice:
/// with both sidecars in one process (<see cref="CrossAppWorkflowTests"/>) and in two
/// (<see cref="CrossProcessWorkflowTests"/>, where the work crosses the callee's internal HTTP routes).
/// </summary>
public abstract class CrossAppScenarios
{
    /// <summary>True: the sidecars share only a name registry file, as two processes do.</summary>
    protected abstract bool Apart { get; }

    private Task<TwoAppHarness> StartAppsAsync(Action<WorkflowRuntimeOptions> caller, Action<WorkflowRuntimeOptions> callee) =>
        Apart ? TwoAppHarness.StartApartAsync(caller, callee) : TwoAppHarness.StartAsync(caller, callee);

    [Fact]
    public async Task ActivityWithTargetAppId_RunsOnThatAppsWorker_AndItsResultReachesTheCallingWorkflow()
    {
        var ranOnCaller = 0;
        var ranOnCallee = 0;
        string calleeAppId = "";
        await using var apps = await StartAppsAsync(
            caller =>
            {
                caller.RegisterWorkflow<string, string[]>("Caller", async (ctx, input) =>
                {
                    var local = await ctx.CallActivityAsync<string>("WhereAmI", input);
                    var remote = await ctx.CallActivityAsync<string>("WhereAmI", input, new WorkflowTaskOptions(TargetAppId: calleeAppId));
                    return [local, remote];
                });
                caller.RegisterActivity<string, string>("WhereAmI", (_, input) =>
                {
                    Interlocked.Increment(ref ranOnCaller);
                    return Task.FromResult("caller:" + input);
                });
            },
            callee =>
            {
                callee.RegisterActivity<string, string>("WhereAmI", (_, input) =>
                {
                    Interlocked.Increment(ref ranOnCallee);
                    return Task.FromResult("callee:" + input);
                });
            });
        calleeAppId = apps.CalleeAppId;
        var id = "xapp-" + Guid.NewGuid().ToString("N");

        await apps.Caller.ScheduleNewWorkflowAsync("Caller", id, "x");
        var state = await apps.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal(["caller:x", "callee:x"], state.ReadOutputAs<string[]>() ?? []);
        Assert.Equal(1, ranOnCaller);
        Assert.Equal(1, ranOnCallee);
    }

    [Fact]
    public async Task ActivitiesWithTargetAppId_ChainedAndFannedOut_AllRunOnTheTargetApp()
    {
        var ranOnCaller = 0;
        string calleeAppId = "";
        await using var apps = await StartAppsAsync(
            caller =>
            {
                caller.RegisterWorkflow<int, string>("Caller", async (ctx, n) =>
                {
                    var options = new WorkflowTaskOptions(TargetAppId: calleeAppId);
                    var first = await ctx.CallActivityAsync<string>("WhereAmI", "0", options);
                    var rest = await Task.WhenAll(Enumerable.Range(1, n).Select(i => ctx.CallActivityAsync<string>("WhereAmI", $"{i}", options)));
                    return string.Join(",", [first, .. rest]);
                });
                caller.RegisterActivity<string, string>("WhereAmI", (_, input) =>
                {
                    Interlocked.Increment(ref ranOnCaller);
                    return Task.FromResult("caller:" + input);
                });
            },
            callee => callee.RegisterActivity<string, string>("WhereAmI", (_, input) => Task.FromResult("callee:" + input)));
        calleeAppId = apps.CalleeAppId;
        var id = "xapp-" + Guid.NewGuid().ToString("N");

        await apps.Caller.ScheduleNewWorkflowAsync("Caller", id, 4);
        var state = await apps.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal("callee:0,callee:1,callee:2,callee:3,callee:4", state.ReadOutputAs<string>());
        Assert.Equal(0, ranOnCaller);
    }

    [Fact]
    public async Task ChildWorkflowWithTargetAppId_RunsOnThatApp_AndReportsBackToTheParent()
    {
        string calleeAppId = "";
        await using var apps = await StartAppsAsync(
            caller => caller.RegisterWorkflow<string, string>("Parent", async (ctx, input) =>
            {
                var child = await ctx.CallChildWorkflowAsync<string>("Child", input, new ChildWorkflowTaskOptions(TargetAppId: calleeAppId));
                return "parent got " + child;
            }),
            callee =>
            {
                callee.RegisterWorkflow<string, string>("Child", async (ctx, input) =>
                    await ctx.CallActivityAsync<string>("WhereAmI", input));
                callee.RegisterActivity<string, string>("WhereAmI", (_, input) => Task.FromResult("callee:" + input));
            });
        calleeAppId = apps.CalleeAppId;
        var id = "xapp-" + Guid.NewGuid().ToString("N");

        await apps.Caller.ScheduleNewWorkflowAsync("Parent", id, "x");
        var state = await apps.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal("parent got callee:x", state.ReadOutputAs<string>());
    }

    [Fact]
    public async Task ActivityForAnAppThatIsNotRunning_WaitsForIt_InsteadOfRunningOnTheCaller()
    {
        var ranOnCaller = 0;
        await using var apps = await StartAppsAsync(
            caller =>
            {
                caller.RegisterWorkflow<string, string>("Caller", async (ctx, input) =>
                    await ctx.CallActivityAsync<string>("WhereAmI", input, new WorkflowTaskOptions(TargetAppId: "no-such-app")));
                caller.RegisterActivity<string, string>("WhereAmI", (_, input) =>
                {
                    Interlocked.Increment(ref ranOnCaller);
                    return Task.FromResult("caller:" + input);
                });
            },
            _ => { });
        var id = "xapp-" + Guid.NewGuid().ToString("N");

        await apps.Caller.ScheduleNewWorkflowAsync("Caller", id, "x");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var state = await apps.Caller.GetWorkflowStateAsync(id, true);

        Assert.NotNull(state);
        Assert.Equal(WorkflowRuntimeStatus.Running, state.RuntimeStatus);
        Assert.Equal(0, ranOnCaller);
    }

    /// <summary>
    /// daprd's recursive terminate reaches every child, whichever app runs it (dapr/dapr
    /// <c>pkg/actors/targets/workflow/orchestrator/terminate.go</c> terminateChildren / terminateRemoteChild): a child
    /// on the other app is terminated with its parent.
    /// </summary>
    [Fact]
    public async Task RecursiveTerminate_ReachesAChildOnTheOtherApp()
    {
        string calleeAppId = "";
        var childId = "xchild-" + Guid.NewGuid().ToString("N");
        await using var apps = await StartAppsAsync(
            caller => caller.RegisterWorkflow<string, string>("Parent", async (ctx, input) =>
                await ctx.CallChildWorkflowAsync<string>("Child", input, new ChildWorkflowTaskOptions(InstanceId: childId, TargetAppId: calleeAppId))),
            callee => callee.RegisterWorkflow<string, string>("Child", async (ctx, _) => await ctx.WaitForExternalEventAsync<string>("never")));
        calleeAppId = apps.CalleeAppId;
        var id = "xapp-" + Guid.NewGuid().ToString("N");
        await apps.Caller.ScheduleNewWorkflowAsync("Parent", id, "x");
        await Poll.UntilAsync(async () => (await apps.CalleeApp.Client.GetWorkflowStateAsync(childId, false))?.RuntimeStatus == WorkflowRuntimeStatus.Running);

        await apps.CallerApp.Engine.TerminateAsync(id, null, recursive: true, CancellationToken.None);

        await Poll.UntilAsync(async () => (await apps.CalleeApp.Client.GetWorkflowStateAsync(childId, false))?.RuntimeStatus == WorkflowRuntimeStatus.Terminated);
        Assert.Equal(WorkflowRuntimeStatus.Terminated, (await apps.Caller.GetWorkflowStateAsync(id, false))?.RuntimeStatus);
    }
}

/// <summary>The cross-app scenarios with both sidecars in this process (one <c>dapr-local run</c>).</summary>
public sealed class CrossAppWorkflowTests : CrossAppScenarios
{
    protected override bool Apart => false;
}

/// <summary>The cross-app scenarios with the sidecars apart (two processes sharing a name registry file).</summary>
public sealed class CrossProcessWorkflowTests : CrossAppScenarios
{
    protected override bool Apart => true;

    /// <summary>The harness itself: apart, the callee is reached over HTTP, not by calling its engine.</summary>
    [Fact]
    public async Task Apart_TheCalleeIsARemotePeer()
    {
        await using var apps = await TwoAppHarness.StartApartAsync(_ => { }, _ => { });
        var peers = apps.CallerApp.Peers;

        var peer = await peers.ResolveAsync(apps.CalleeAppId, null, CancellationToken.None);

        Assert.IsType<Peers.RemoteWorkflowPeer>(peer);
    }
}

using Dapr.DurableTask.Protobuf;
using Dapr.Workflow;

namespace Sidecar.Workflow.Tests.CrossApp;

/// <summary>
/// Cross-app workflow work between sidecars of two processes (apart, sharing a name registry file) when one of them
/// is down, restarts or repeats itself. daprd gets these guarantees from actor reminders: the activity actor's
/// run-activity reminder outlives a target restart and its workflow-result reminder keeps a result the workflow actor
/// could not take (dapr/dapr <c>pkg/actors/targets/workflow/activity/reminder.go</c>, <c>publish.go</c>), and the
/// workflow actor drops duplicate completions (<c>orchestrator/add.go</c>): at least once, results recorded once.
/// </summary>
public sealed class CrossProcessReliabilityTests
{
    [Fact]
    public async Task TargetSidecarDownWhenTheActivityIsSent_ActivityRunsOnceItIsUp()
    {
        var ranOnCallee = 0;
        string calleeAppId = "";
        await using var apps = await TwoAppHarness.StartApartAsync(
            caller => caller.RegisterWorkflow<string, string>("Caller", async (ctx, input) =>
                await ctx.CallActivityAsync<string>("WhereAmI", input, new WorkflowTaskOptions(TargetAppId: calleeAppId))),
            callee => callee.RegisterActivity<string, string>("WhereAmI", (_, input) =>
            {
                Interlocked.Increment(ref ranOnCallee);
                return Task.FromResult("callee:" + input);
            }));
        calleeAppId = apps.CalleeAppId;
        await apps.CalleeApp.StopAsync();
        var id = "xproc-" + Guid.NewGuid().ToString("N");

        await apps.Caller.ScheduleNewWorkflowAsync("Caller", id, "x");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(WorkflowRuntimeStatus.Running, (await apps.Caller.GetWorkflowStateAsync(id, false))?.RuntimeStatus);
        await apps.CalleeApp.StartAsync();
        var state = await apps.WaitForCompletionAsync(id);

        Assert.Equal("callee:x", state.ReadOutputAs<string>());
        Assert.Equal(1, ranOnCallee);
    }

    [Fact]
    public async Task TargetSidecarRestartsWhileRunningTheActivity_ItIsSentAgainAndRuns_WithoutTheCallerRestarting()
    {
        var runs = 0;
        var firstRunEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirstRun = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        string calleeAppId = "";
        await using var apps = await TwoAppHarness.StartApartAsync(
            caller => caller.RegisterWorkflow<string, string>("Caller", async (ctx, input) =>
                await ctx.CallActivityAsync<string>("Slow", input, new WorkflowTaskOptions(TargetAppId: calleeAppId))),
            callee => callee.RegisterActivity<string, string>("Slow", async (_, input) =>
            {
                if (Interlocked.Increment(ref runs) == 1)
                {
                    // The first run never finishes on this sidecar: it is stopped under it.
                    firstRunEntered.TrySetResult();
                    return await releaseFirstRun.Task;
                }

                return "callee:" + input;
            }));
        calleeAppId = apps.CalleeAppId;
        var id = "xproc-" + Guid.NewGuid().ToString("N");
        await apps.Caller.ScheduleNewWorkflowAsync("Caller", id, "x");
        await firstRunEntered.Task.WaitAsync(TimeSpan.FromSeconds(15));

        await apps.CalleeApp.StopAsync();
        await apps.CalleeApp.StartAsync();
        var state = await apps.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));
        releaseFirstRun.TrySetResult("late");

        Assert.Equal("callee:x", state.ReadOutputAs<string>());
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task CallerSidecarStoppedWhileTheTargetRunsTheActivity_ResultIsKeptAndDelivered_ActivityRunsOnce()
    {
        var held = new HeldActivity();
        var (apps, id) = await held.StartAsync();
        await using var _ = apps;

        await apps.CallerApp.StopAsync();
        held.Release.SetResult();
        // The target finishes now and cannot deliver: it keeps the result through a few failed deliveries.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await apps.CallerApp.StartAsync();
        var state = await apps.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal("callee:x", state.ReadOutputAs<string>());
        Assert.Equal(1, held.Runs);
    }

    [Fact]
    public async Task ResultOfAnActivityTheWorkflowNoLongerWants_IsAnsweredStale_AndDropped_NotRunAgain()
    {
        var held = new HeldActivity();
        var (apps, id) = await held.StartAsync();
        await using var _ = apps;

        await apps.Caller.TerminateWorkflowAsync(id, "stop");
        held.Release.SetResult();

        await Poll.UntilAsync(() => Task.FromResult(apps.CalleeApp.Engine.HeldPeerActivityCount == 0), what: "the callee to drop the result");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(0, apps.CalleeApp.Engine.HeldPeerActivityCount);
        Assert.Equal(1, held.Runs);
        Assert.Equal(WorkflowRuntimeStatus.Terminated, (await apps.Caller.GetWorkflowStateAsync(id, false))?.RuntimeStatus);
    }

    [Fact]
    public async Task ChildsEndReportedTwiceToAParentOnAnotherProcess_IsInItsHistoryOnce()
    {
        string calleeAppId = "";
        var childId = "xchild-" + Guid.NewGuid().ToString("N");
        await using var apps = await TwoAppHarness.StartApartAsync(
            caller => caller.RegisterWorkflow<string, string>("Parent", async (ctx, input) =>
            {
                var child = await ctx.CallChildWorkflowAsync<string>("Child", input, new ChildWorkflowTaskOptions(InstanceId: childId, TargetAppId: calleeAppId));
                await ctx.WaitForExternalEventAsync<string>("go");
                return "parent got " + child;
            }),
            callee => callee.RegisterWorkflow<string, string>("Child", (_, input) => Task.FromResult("child:" + input)));
        calleeAppId = apps.CalleeAppId;
        var id = "xproc-" + Guid.NewGuid().ToString("N");
        await apps.Caller.ScheduleNewWorkflowAsync("Parent", id, "x");
        await Poll.UntilAsync(async () => CompletedChildren(await apps.CallerApp.Engine.GetHistoryAsync(id, CancellationToken.None)) == 1,
            what: "the parent to record its child's end");

        // The child's sidecar reports the end again (as after the parent's restart): over HTTP to the parent's sidecar.
        var childStarted = (await apps.CalleeApp.Engine.GetHistoryAsync(childId, CancellationToken.None)).First(e => e.ExecutionStarted is not null);
        await apps.CalleeApp.Engine.ResumeChildForPeerAsync(childStarted.ExecutionStarted);
        await apps.Caller.RaiseEventAsync(id, "go", "now");
        var state = await apps.WaitForCompletionAsync(id);

        Assert.Equal("parent got child:x", state.ReadOutputAs<string>());
        Assert.Equal(1, CompletedChildren(await apps.CallerApp.Engine.GetHistoryAsync(id, CancellationToken.None)));
    }

    [Fact]
    public async Task ChildOnAnotherProcessEndsWhileItsParentsSidecarIsStopped_TheParentHearsOfItOnceAfterItsRestart()
    {
        string calleeAppId = "";
        var childId = "xchild-" + Guid.NewGuid().ToString("N");
        await using var apps = await TwoAppHarness.StartApartAsync(
            caller => caller.RegisterWorkflow<string, string>("Parent", async (ctx, input) =>
                "parent got " + await ctx.CallChildWorkflowAsync<string>("Child", input, new ChildWorkflowTaskOptions(InstanceId: childId, TargetAppId: calleeAppId))),
            callee => callee.RegisterWorkflow<string, string>("Child", async (ctx, input) =>
                input + "+" + await ctx.WaitForExternalEventAsync<string>("go")));
        calleeAppId = apps.CalleeAppId;
        var id = "xproc-" + Guid.NewGuid().ToString("N");
        await apps.Caller.ScheduleNewWorkflowAsync("Parent", id, "x");
        await Poll.UntilAsync(async () => (await apps.CalleeApp.Client.GetWorkflowStateAsync(childId, false))?.RuntimeStatus == WorkflowRuntimeStatus.Running);

        await apps.CallerApp.StopAsync();
        await apps.CalleeApp.Client.RaiseEventAsync(childId, "go", "go");
        await Poll.UntilAsync(async () => (await apps.CalleeApp.Client.GetWorkflowStateAsync(childId, false))?.RuntimeStatus == WorkflowRuntimeStatus.Completed);
        // The child's sidecar fails to tell the stopped parent, and keeps trying; the parent's restart asks again.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await apps.CallerApp.StartAsync();
        var state = await apps.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));

        Assert.Equal("parent got x+go", state.ReadOutputAs<string>());
        Assert.Equal(1, CompletedChildren(await apps.CallerApp.Engine.GetHistoryAsync(id, CancellationToken.None)));
    }

    [Fact]
    public async Task InternalWorkflowRoute_WithoutTheRegistrationToken_IsRefused_AndNamesWhoAnswered()
    {
        await using var apps = await TwoAppHarness.StartApartAsync(
            _ => { },
            callee => callee.RegisterWorkflow<string, string>("Waits", async (ctx, _) => await ctx.WaitForExternalEventAsync<string>("never")));
        var callee = await apps.CallerApp.Peers.ResolveAsync(apps.CalleeAppId, null, CancellationToken.None);
        var id = "xproc-" + Guid.NewGuid().ToString("N");
        await apps.CalleeApp.Client.ScheduleNewWorkflowAsync("Waits", id);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{apps.CalleeApp.Address}/dapr-local/v1/workflow/terminate")
        {
            Content = new ByteArrayContent(Google.Protobuf.MessageExtensions.ToByteArray(new TerminateRequest { InstanceId = id })),
        };
        request.Headers.Add("dapr-local-internal-token", "guessed");

        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(callee.Key, response.Headers.GetValues("dapr-local-registration").Single());
        Assert.Equal(WorkflowRuntimeStatus.Running, (await apps.CalleeApp.Client.GetWorkflowStateAsync(id, false))?.RuntimeStatus);
    }

    [Fact]
    public async Task InternalWorkflowRoute_WithAChildWithoutAnId_AnswersBadRequest_AndStartsNothing()
    {
        await using var apps = await TwoAppHarness.StartApartAsync(_ => { }, _ => { });
        var callee = apps.CalleeApp.Registration;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{callee.Address}/dapr-local/v1/workflow/children/start")
        {
            Content = new ByteArrayContent(Google.Protobuf.MessageExtensions.ToByteArray(new ExecutionStartedEvent { Name = "Child" })),
        };
        request.Headers.Add("dapr-local-internal-token", callee.InternalToken);

        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("workflowInstance.instanceId", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, apps.CalleeApp.Engine.InMemoryInstanceCount);
    }

    /// <summary>
    /// A caller workflow whose activity <c>Held</c> runs on the callee: each run counts itself, says it has begun, and
    /// waits for <see cref="Release"/>.
    /// </summary>
    private sealed class HeldActivity
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Starts both apps and one workflow, and returns once the callee runs its activity.</summary>
        public async Task<(TwoAppHarness Apps, string InstanceId)> StartAsync()
        {
            string calleeAppId = "";
            var apps = await TwoAppHarness.StartApartAsync(
                caller => caller.RegisterWorkflow<string, string>("Caller", async (ctx, input) =>
                    await ctx.CallActivityAsync<string>("Held", input, new WorkflowTaskOptions(TargetAppId: calleeAppId))),
                callee => callee.RegisterActivity<string, string>("Held", async (_, input) =>
                {
                    Interlocked.Increment(ref _runs);
                    Entered.TrySetResult();
                    await Release.Task;
                    return "callee:" + input;
                }));
            calleeAppId = apps.CalleeAppId;
            try
            {
                var id = "xproc-" + Guid.NewGuid().ToString("N");
                await apps.Caller.ScheduleNewWorkflowAsync("Caller", id, "x");
                await Entered.Task.WaitAsync(TimeSpan.FromSeconds(15));
                return (apps, id);
            }
            catch
            {
                await apps.DisposeAsync();
                throw;
            }
        }
    }

    private static int CompletedChildren(IEnumerable<HistoryEvent> history) =>
        history.Count(e => e.ChildWorkflowInstanceCompleted is not null);
}

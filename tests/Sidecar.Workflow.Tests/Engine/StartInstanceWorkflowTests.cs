using System.Diagnostics;
using Dapr.DurableTask.Protobuf;
using Dapr.Workflow;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Workflow.Tests.Infrastructure;

namespace Sidecar.Workflow.Tests.Engine;

/// <summary>StartInstance returns once the workflow has left PENDING; its 5-second cap only matters without a worker.</summary>
public sealed class StartInstanceWorkflowTests
{
    [Fact]
    public async Task Start_WithAWorkerConnected_ReturnsOnceTheWorkflowRuns_WellBeforeTheCap()
    {
        await using var harness = await WorkflowHarness.StartAsync(o =>
            o.RegisterWorkflow<string, string>("Waits", (ctx, _) => ctx.WaitForExternalEventAsync<string>("go")));
        var statuses = new List<WorkflowRuntimeStatus>();
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < 5; i++)
        {
            var id = $"prompt-{i}-{Guid.NewGuid():N}";
            await harness.Client.ScheduleNewWorkflowAsync("Waits", id, "");
            statuses.Add((await harness.Client.GetWorkflowStateAsync(id))!.RuntimeStatus);
        }

        // Five starts that each hit the 5 s cap would take 25 s.
        Assert.All(statuses, s => Assert.Equal(WorkflowRuntimeStatus.Running, s));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"five starts took {clock.Elapsed}");
    }

    [Fact]
    public async Task Start_WithNoWorker_ReturnsWhenTheCapElapsesOnTheSidecarClock_AndTheWorkflowStaysPending()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hub = await RawTaskHub.StartAsync(services => services.AddSingleton<TimeProvider>(time));
        var id = "nowoker-" + Guid.NewGuid().ToString("N");
        var clock = Stopwatch.StartNew();

        var start = hub.Client.StartInstanceAsync(new CreateInstanceRequest { InstanceId = id, Name = "Anything" }).ResponseAsync;
        await Task.Delay(200);
        var returnedEarly = start.IsCompleted;
        while (!start.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        var response = await start.WaitAsync(TimeSpan.FromSeconds(1));
        var state = await hub.Client.GetInstanceAsync(new GetInstanceRequest { InstanceId = id });

        Assert.False(returnedEarly);
        Assert.Equal(id, response.InstanceId);
        Assert.Equal(OrchestrationStatus.Pending, state.WorkflowState.WorkflowStatus);
    }
}

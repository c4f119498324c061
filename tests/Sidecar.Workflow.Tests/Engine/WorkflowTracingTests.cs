using System.Collections.Concurrent;
using System.Diagnostics;
using Dapr.Workflow;
using Sidecar.Observability;
using Sidecar.Workflow.Tests.Infrastructure;

namespace Sidecar.Workflow.Tests.Engine;

/// <summary>
/// Workflow spans as durabletask-go makes them in daprd: <c>create_orchestration||&lt;name&gt;</c> for the start, one
/// <c>orchestration||&lt;name&gt;</c> for the whole run, and <c>activity||&lt;name&gt;</c> per activity under the run.
/// </summary>
public sealed class WorkflowTracingTests
{
    [Fact]
    public async Task AWorkflowRun_IsOneSpan_ChildOfItsCreation_AndParentOfItsActivities()
    {
        var id = "traced-" + Guid.NewGuid().ToString("N");
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith(SidecarTelemetry.NamePrefix + "wf-", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span =>
            {
                if (span.GetTagItem("durabletask.task.instance_id") as string == id)
                {
                    spans.Enqueue(span);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var harness = await WorkflowHarness.StartAsync(o =>
        {
            o.RegisterWorkflow<string, string>("Traced", async (ctx, input) =>
            {
                var a = await ctx.CallActivityAsync<string>("Append", input + "-a");
                return await ctx.CallActivityAsync<string>("Append", a + "-b");
            });
            o.RegisterActivity<string, string>("Append", (_, value) => Task.FromResult(value + "!"));
        });

        await harness.Client.ScheduleNewWorkflowAsync("Traced", id, "x");
        Assert.Equal(WorkflowRuntimeStatus.Completed, (await harness.WaitForCompletionAsync(id)).RuntimeStatus);
        for (var waited = 0; !spans.Any(s => s.DisplayName == "orchestration||Traced") && waited < 5000; waited += 20)
        {
            await Task.Delay(20);
        }

        var create = Assert.Single(spans, s => s.DisplayName == "create_orchestration||Traced");
        var run = Assert.Single(spans, s => s.DisplayName == "orchestration||Traced");
        var activities = spans.Where(s => s.DisplayName == "activity||Append").ToList();
        Assert.Equal((ActivityKind.Client, ActivityKind.Server), (create.Kind, run.Kind));
        Assert.Equal((create.TraceId, create.SpanId), (run.TraceId, run.ParentSpanId));
        Assert.Equal("COMPLETED", run.GetTagItem("durabletask.runtime_status"));
        Assert.Equal(2, activities.Count);
        Assert.All(activities, a => Assert.Equal((run.TraceId, run.SpanId), (a.TraceId, a.ParentSpanId)));
        // The run's span id is kept with the workflow, so activities scheduled after a restart still name it.
        var history = await harness.Engine.GetHistoryAsync(id, CancellationToken.None);
        Assert.Equal(run.SpanId.ToHexString(), history.First(e => e.ExecutionStarted is not null).ExecutionStarted.WorkflowSpanID);
    }
}

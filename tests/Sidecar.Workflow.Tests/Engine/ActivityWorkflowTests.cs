using System.Collections.Concurrent;
using Dapr.Workflow;
using Sidecar.Workflow.Tests.Infrastructure;

namespace Sidecar.Workflow.Tests.Engine;

/// <summary>Activities through the real SDK: chains, fan-out/fan-in, retries and failures.</summary>
public sealed class ActivityWorkflowTests
{
    [Fact]
    public async Task ChainedActivities_RunInOrder_AndTheWorkflowCompletesWithTheirResult()
    {
        await using var harness = await WorkflowHarness.StartAsync(o =>
        {
            o.RegisterWorkflow<string, string>("Chain", async (ctx, input) =>
            {
                var a = await ctx.CallActivityAsync<string>("Append", input + "-a");
                var b = await ctx.CallActivityAsync<string>("Append", a + "-b");
                return await ctx.CallActivityAsync<string>("Append", b + "-c");
            });
            o.RegisterActivity<string, string>("Append", (_, value) => Task.FromResult(value + "!"));
        });
        var id = "chain-" + Guid.NewGuid().ToString("N");

        await harness.Client.ScheduleNewWorkflowAsync("Chain", id, "x");
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal("x-a!-b!-c!", state.ReadOutputAs<string>());
    }

    [Fact]
    public async Task FanOutFanIn_RunsActivitiesInParallel_AndSumsTheirResults()
    {
        var running = 0;
        var maxRunning = 0;
        await using var harness = await WorkflowHarness.StartAsync(o =>
        {
            o.RegisterWorkflow<int, int>("FanOut", async (ctx, n) =>
            {
                var squares = await Task.WhenAll(Enumerable.Range(1, n).Select(i => ctx.CallActivityAsync<int>("Square", i)));
                return squares.Sum();
            });
            o.RegisterActivity<int, int>("Square", async (_, i) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref maxRunning, now);
                await Task.Delay(200);
                Interlocked.Decrement(ref running);
                return i * i;
            });
        });
        var id = "fan-" + Guid.NewGuid().ToString("N");

        await harness.Client.ScheduleNewWorkflowAsync("FanOut", id, 5);
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal(55, state.ReadOutputAs<int>());
        Assert.True(maxRunning > 1, $"activities ran one at a time (max {maxRunning})");
    }

    [Fact]
    public async Task ActivityWithRetryPolicy_FailsTwiceThenSucceeds_AndTheWorkflowCompletes()
    {
        var attempts = new ConcurrentDictionary<string, int>();
        await using var harness = await WorkflowHarness.StartAsync(o =>
        {
            o.RegisterWorkflow<string, string>("Retrying", (ctx, input) =>
                ctx.CallActivityAsync<string>("Flaky", input, new WorkflowTaskOptions(
                    new WorkflowRetryPolicy(maxNumberOfAttempts: 4, firstRetryInterval: TimeSpan.FromMilliseconds(100)))));
            o.RegisterActivity<string, string>("Flaky", (ctx, input) =>
            {
                var attempt = attempts.AddOrUpdate(ctx.InstanceId, 1, (_, n) => n + 1);
                return attempt < 3
                    ? throw new InvalidOperationException($"attempt {attempt} failed")
                    : Task.FromResult($"{input} after {attempt}");
            });
        });
        var id = "retry-" + Guid.NewGuid().ToString("N");

        await harness.Client.ScheduleNewWorkflowAsync("Retrying", id, "ok");
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal("ok after 3", state.ReadOutputAs<string>());
        Assert.Equal(3, attempts[id]);
    }

    [Fact]
    public async Task ActivityThatThrows_FailsTheWorkflow_WithTheErrorInFailureDetails()
    {
        await using var harness = await WorkflowHarness.StartAsync(o =>
        {
            o.RegisterWorkflow<string, string>("Doomed", (ctx, input) => ctx.CallActivityAsync<string>("Explode", input));
            o.RegisterActivity<string, string>("Explode", (_, input) =>
                throw new InvalidOperationException($"cannot handle '{input}'"));
        });
        var id = "fail-" + Guid.NewGuid().ToString("N");

        await harness.Client.ScheduleNewWorkflowAsync("Doomed", id, "boom");
        var state = await harness.WaitForCompletionAsync(id);

        Assert.Equal(WorkflowRuntimeStatus.Failed, state.RuntimeStatus);
        Assert.NotNull(state.FailureDetails);
        Assert.Contains("cannot handle 'boom'", state.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

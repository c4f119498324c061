using System.Text.Json;
using Dapr.Workflow;
using Microsoft.Extensions.DependencyInjection;
using Sidecar.Workflow.Persistence;
using Sidecar.Workflow.Tests.Infrastructure;

namespace Sidecar.Workflow.Tests.Engine;

/// <summary>Only unfinished workflows live in memory and in the index; finished ones are read back from the store.</summary>
public sealed class MemoryWorkflowTests
{
    private const int Workflows = 20;

    private static void Register(WorkflowRuntimeOptions o)
    {
        o.RegisterWorkflow<string, string>("Chain2", async (ctx, input) =>
            await ctx.CallActivityAsync<string>("Echo", await ctx.CallActivityAsync<string>("Echo", input)));
        o.RegisterActivity<string, string>("Echo", (_, value) => Task.FromResult(value + "."));
    }

    [Fact]
    public async Task FinishedWorkflows_LeaveMemoryAndTheIndex_AndStayReadable_AlsoAfterARestart()
    {
        await using var harness = await WorkflowHarness.StartAsync(Register, sqlite: true);
        var ids = Enumerable.Range(0, Workflows).Select(i => $"mem-{i}-{Guid.NewGuid():N}").ToList();

        await Task.WhenAll(ids.Select(id => harness.Client.ScheduleNewWorkflowAsync("Chain2", id, id)));
        await Task.WhenAll(ids.Select(id => harness.WaitForCompletionAsync(id)));
        var inMemory = harness.Engine.InMemoryInstanceCount;
        var index = await ReadIndexAsync(harness);
        var finished = await harness.Client.GetWorkflowStateAsync(ids[0]);

        await harness.RestartAsync();
        var inMemoryAfterRestart = harness.Engine.InMemoryInstanceCount;
        var afterRestart = await harness.Client.GetWorkflowStateAsync(ids[1]);
        var waited = await harness.WaitForCompletionAsync(ids[2]);
        var purged = await harness.Client.PurgeInstanceAsync(ids[3]);
        var gone = await harness.Client.GetWorkflowStateAsync(ids[3]);

        Assert.Equal(0, inMemory);
        Assert.Empty(index);
        Assert.Equal(WorkflowRuntimeStatus.Completed, finished!.RuntimeStatus);
        Assert.Equal(ids[0] + "..", finished.ReadOutputAs<string>());
        Assert.Equal(0, inMemoryAfterRestart);
        Assert.Equal(WorkflowRuntimeStatus.Completed, afterRestart!.RuntimeStatus);
        Assert.Equal(ids[1] + "..", afterRestart.ReadOutputAs<string>());
        Assert.Equal(ids[2] + "..", waited.ReadOutputAs<string>());
        Assert.True(purged);
        Assert.False(gone?.Exists ?? false);
    }

    [Fact]
    public async Task UnfinishedWorkflow_StaysInMemoryAndTheIndex_UntilItFinishes()
    {
        await using var harness = await WorkflowHarness.StartAsync(o =>
            o.RegisterWorkflow<string, string>("Waits", (ctx, _) => ctx.WaitForExternalEventAsync<string>("go")));
        var id = "waiting-" + Guid.NewGuid().ToString("N");
        await harness.Client.ScheduleNewWorkflowAsync("Waits", id, "");

        var inMemoryWhileWaiting = harness.Engine.InMemoryInstanceCount;
        var indexWhileWaiting = await ReadIndexAsync(harness);
        await harness.Client.RaiseEventAsync(id, "go", "now");
        await harness.WaitForCompletionAsync(id);

        Assert.Equal(1, inMemoryWhileWaiting);
        Assert.Equal([id], indexWhileWaiting);
        Assert.Equal(0, harness.Engine.InMemoryInstanceCount);
        Assert.Empty(await ReadIndexAsync(harness));
    }

    private static async Task<string[]> ReadIndexAsync(WorkflowHarness harness)
    {
        var store = harness.Sidecar.Services.GetRequiredService<IWorkflowStateStoreSource>().GetStore()!;
        var entry = await store.GetAsync($"{harness.AppId}||wf||index", CancellationToken.None);
        return entry is null ? [] : JsonSerializer.Deserialize<string[]>(entry.Value)!;
    }
}

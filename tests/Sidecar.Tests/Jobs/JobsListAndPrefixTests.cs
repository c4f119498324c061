using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Sidecar.Tests.Infrastructure;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Tests.Jobs;

// The ...Alpha1 RPCs are marked obsolete in Dapr.Protos 1.18.7; SDKs built for daprd 1.17 call them, so they are tested.
#pragma warning disable CS0612

/// <summary>
/// ListJobs and DeleteJobsByPrefix (and their <c>...Alpha1</c> names) as dapr/dapr <c>pkg/api/universal/jobs.go</c>
/// serves them over the scheduler (<c>pkg/scheduler/server/api.go</c> ListJobs, DeleteByNamePrefix): the jobs of this
/// app id only, by name, as scheduled; a prefix is plain text and the empty one takes every job of the app.
/// daprd has no HTTP routes for them (<c>pkg/api/http/jobs.go</c> has POST, GET and DELETE of one job only).
/// </summary>
public sealed class JobsListAndPrefixTests
{
    private static Proto.Job Daily(string name) =>
        new() { Name = name, Schedule = "@daily", Repeats = 3, Data = Any.Pack(Value.ForString(name)) };

    [Fact]
    public async Task ListJobs_AnswersThisAppsJobsAsScheduled_ByName_BothNames()
    {
        using var folder = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("jobs-list", folder.Path);
        await using var neighbour = await TestSidecar.StartAsync("jobs-list-other", folder.Path);
        using var channel = GrpcChannel.ForAddress(sidecar.GrpcEndpoint);
        using var neighbourChannel = GrpcChannel.ForAddress(neighbour.GrpcEndpoint);
        var client = new Proto.Dapr.DaprClient(channel);

        var before = await client.ListJobsAsync(new Proto.ListJobsRequest());
        foreach (var name in new[] { "other", "orders-2", "orders%x", "orders-1" })
        {
            await client.ScheduleJobAsync(new Proto.ScheduleJobRequest { Job = Daily(name) });
        }

        await new Proto.Dapr.DaprClient(neighbourChannel).ScheduleJobAsync(new Proto.ScheduleJobRequest { Job = Daily("orders-3") });
        var listed = await client.ListJobsAsync(new Proto.ListJobsRequest());
        var listedAlpha = await client.ListJobsAlpha1Async(new Proto.ListJobsRequestAlpha1());

        Assert.Empty(before.Jobs);
        Assert.Equal(["orders%x", "orders-1", "orders-2", "other"], listed.Jobs.Select(j => j.Name));
        Assert.Equal(Daily("orders-1"), listed.Jobs[1]);
        Assert.Equal(listed.Jobs, listedAlpha.Jobs);
    }

    [Fact]
    public async Task DeleteJobsByPrefix_DeletesThisAppsJobsWhoseNamesStartWithIt_TakingWildcardsLiterally()
    {
        using var folder = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("jobs-prefix", folder.Path);
        await using var neighbour = await TestSidecar.StartAsync("jobs-prefix-other", folder.Path);
        using var channel = GrpcChannel.ForAddress(sidecar.GrpcEndpoint);
        using var neighbourChannel = GrpcChannel.ForAddress(neighbour.GrpcEndpoint);
        var client = new Proto.Dapr.DaprClient(channel);
        var neighbourClient = new Proto.Dapr.DaprClient(neighbourChannel);
        foreach (var name in new[] { "orders-1", "orders-2", "orders_x", "other" })
        {
            await client.ScheduleJobAsync(new Proto.ScheduleJobRequest { Job = Daily(name) });
        }

        await neighbourClient.ScheduleJobAsync(new Proto.ScheduleJobRequest { Job = Daily("orders-1") });

        await client.DeleteJobsByPrefixAsync(new Proto.DeleteJobsByPrefixRequest { NamePrefix = "orders_" });
        var afterUnderscore = await Names(client);
        await client.DeleteJobsByPrefixAlpha1Async(new Proto.DeleteJobsByPrefixRequestAlpha1 { NamePrefix = "orders-" });
        var afterDash = await Names(client);
        await client.DeleteJobsByPrefixAsync(new Proto.DeleteJobsByPrefixRequest());
        var afterEmpty = await Names(client);

        Assert.Equal(["orders-1", "orders-2", "other"], afterUnderscore);
        Assert.Equal(["other"], afterDash);
        Assert.Empty(afterEmpty);
        Assert.Equal(["orders-1"], await Names(neighbourClient));
    }

    private static async Task<List<string>> Names(Proto.Dapr.DaprClient client) =>
        [.. (await client.ListJobsAsync(new Proto.ListJobsRequest())).Jobs.Select(j => j.Name)];
}

using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Sidecar.Tests.Infrastructure;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Tests.Jobs;

// The ...Alpha1 RPCs are marked obsolete in Dapr.Protos 1.18.7; they are what daprd 1.14-1.16 SDKs call, so they are tested.
#pragma warning disable CS0612

/// <summary>The jobs RPCs with Dapr.Protos' own client, as an SDK calls them (the Dapr.Jobs package is not in the registry copy).</summary>
public sealed class JobsGrpcTests
{
    [Fact]
    public async Task ScheduleJobAlpha1_WithValueData_IsDeliveredAsJson_AndGetJobAlpha1AnswersItAsScheduled()
    {
        await using var app = await JobApp.StartAsync();
        using var folder = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("jobs-grpc", folder.Path, o => o with { AppPort = app.Port });
        using var channel = GrpcChannel.ForAddress(sidecar.GrpcEndpoint);
        var client = new Proto.Dapr.DaprClient(channel);
        var later = new Proto.Job { Name = "later", Schedule = "0 0 12 * * MON", Repeats = 2, Data = Any.Pack(Value.ForString("x")) };
        var soon = new Proto.Job { Name = "soon", DueTime = "1s", Data = Any.Pack(Value.ForStruct(new Struct { Fields = { ["id"] = Value.ForNumber(7) } })) };

        await client.ScheduleJobAlpha1Async(new Proto.ScheduleJobRequest { Job = later });
        await client.ScheduleJobAlpha1Async(new Proto.ScheduleJobRequest { Job = soon });
        var read = await client.GetJobAlpha1Async(new Proto.GetJobRequest { Name = "later" });
        var delivery = (await app.Deliveries.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0];
        var duplicate = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.ScheduleJobAlpha1Async(new Proto.ScheduleJobRequest { Job = later }));
        await client.ScheduleJobAlpha1Async(new Proto.ScheduleJobRequest { Job = new Proto.Job(later) { Repeats = 9 }, Overwrite = true });
        var overwritten = await client.GetJobAlpha1Async(new Proto.GetJobRequest { Name = "later" });
        await client.DeleteJobAlpha1Async(new Proto.DeleteJobRequest { Name = "later" });
        var missing = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetJobAlpha1Async(new Proto.GetJobRequest { Name = "later" }));

        Assert.Equal(later, read.Job);
        Assert.Equal(("soon", """{"id":7}"""), (delivery.Name, delivery.Body));
        Assert.Equal(StatusCode.AlreadyExists, duplicate.StatusCode);
        Assert.Equal(9u, overwritten.Job.Repeats);
        Assert.Equal(StatusCode.Internal, missing.StatusCode);
        Assert.Contains("job not found: later", missing.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduleJob_WithoutScheduleOrName_IsInvalidArgument()
    {
        using var folder = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("jobs-grpc-bad", folder.Path);
        using var channel = GrpcChannel.ForAddress(sidecar.GrpcEndpoint);
        var client = new Proto.Dapr.DaprClient(channel);

        var noSchedule = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.ScheduleJobAsync(new Proto.ScheduleJobRequest { Job = new Proto.Job { Name = "x" } }));
        var noName = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.ScheduleJobAlpha1Async(new Proto.ScheduleJobRequest { Job = new Proto.Job { Schedule = "@daily" } }));

        Assert.Equal((StatusCode.InvalidArgument, "Schedule is empty"), (noSchedule.StatusCode, noSchedule.Status.Detail));
        Assert.Equal((StatusCode.InvalidArgument, "Name is empty"), (noName.StatusCode, noName.Status.Detail));
    }
}

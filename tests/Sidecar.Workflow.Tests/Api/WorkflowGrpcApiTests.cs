using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Sidecar.Workflow.Tests.Infrastructure;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Workflow.Tests.Api;

/// <summary>The workflow RPCs of <c>dapr.proto.runtime.v1.Dapr</c>, called through Dapr.Protos' generated client stub.</summary>
public sealed class WorkflowGrpcApiTests
{
    [Fact]
    public async Task StartGetRaiseEventPurge_Beta1_RunsTheWorkflowAndRemovesIt()
    {
        await using var harness = await WorkflowHarness.StartAsync(ManagementWorkflows.Register);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{harness.Sidecar.Options.GrpcPort}");
        var client = new Proto.Dapr.DaprClient(channel);
        var id = "grpc-" + Guid.NewGuid().ToString("N");

        var started = await client.StartWorkflowBeta1Async(new Proto.StartWorkflowRequest
        {
            InstanceId = id, WorkflowComponent = "dapr", WorkflowName = "AwaitApproval", Input = ByteString.CopyFromUtf8("\"order-7\""),
        });
        Assert.Equal(id, started.InstanceId);

        var running = await WaitForStatusAsync(client, id, "RUNNING");
        Assert.Equal("AwaitApproval", running.WorkflowName);
        Assert.Equal("\"order-7\"", running.Properties["dapr.workflow.input"]);
        Assert.NotNull(running.CreatedAt);

        await client.RaiseEventWorkflowBeta1Async(new Proto.RaiseEventWorkflowRequest
        {
            InstanceId = id, WorkflowComponent = "dapr", EventName = "approval", EventData = ByteString.CopyFromUtf8("\"dee\""),
        });
        var completed = await WaitForStatusAsync(client, id, "COMPLETED");
        Assert.Equal("\"order-7 approved by dee\"", completed.Properties["dapr.workflow.output"]);

        await client.PurgeWorkflowBeta1Async(new Proto.PurgeWorkflowRequest { InstanceId = id, WorkflowComponent = "dapr" });
        // daprd's gRPC answers an unknown instance with an empty response (only its id), not an error.
        var purged = await client.GetWorkflowBeta1Async(new Proto.GetWorkflowRequest { InstanceId = id, WorkflowComponent = "dapr" });
        Assert.Equal(id, purged.InstanceId);
        Assert.Equal("", purged.RuntimeStatus);
        Assert.Empty(purged.Properties);
    }

    // The deprecated Alpha1 names are what this test is about: older SDKs still call them.
#pragma warning disable CS0612
    [Fact]
    public async Task PauseResumeTerminate_AlsoAnswerUnderTheirAlpha1Names()
    {
        await using var harness = await WorkflowHarness.StartAsync(ManagementWorkflows.Register);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{harness.Sidecar.Options.GrpcPort}");
        var client = new Proto.Dapr.DaprClient(channel);
        var id = "grpc-alpha-" + Guid.NewGuid().ToString("N");
        await client.StartWorkflowAlpha1Async(new Proto.StartWorkflowRequest
        {
            InstanceId = id, WorkflowComponent = "dapr", WorkflowName = "AwaitApproval", Input = ByteString.CopyFromUtf8("\"order-8\""),
        });
        await WaitForStatusAsync(client, id, "RUNNING");

        await client.PauseWorkflowAlpha1Async(new Proto.PauseWorkflowRequest { InstanceId = id, WorkflowComponent = "dapr" });
        await WaitForStatusAsync(client, id, "SUSPENDED");
        await client.ResumeWorkflowBeta1Async(new Proto.ResumeWorkflowRequest { InstanceId = id, WorkflowComponent = "dapr" });
        await WaitForStatusAsync(client, id, "RUNNING");
        await client.TerminateWorkflowAlpha1Async(new Proto.TerminateWorkflowRequest { InstanceId = id, WorkflowComponent = "dapr" });

        var terminated = await WaitForStatusAsync(client, id, "TERMINATED");
        Assert.Equal(id, terminated.InstanceId);
    }
#pragma warning restore CS0612

    [Fact]
    public async Task UnknownInstanceAndBadRequests_AnswerDaprdsStatusCodes()
    {
        await using var harness = await WorkflowHarness.StartAsync(ManagementWorkflows.Register);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{harness.Sidecar.Options.GrpcPort}");
        var client = new Proto.Dapr.DaprClient(channel);

        var terminate = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.TerminateWorkflowBeta1Async(new Proto.TerminateWorkflowRequest { InstanceId = "no-such-instance", WorkflowComponent = "dapr" }));
        Assert.Equal(StatusCode.NotFound, terminate.StatusCode);
        var pause = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.PauseWorkflowBeta1Async(new Proto.PauseWorkflowRequest { InstanceId = "no-such-instance", WorkflowComponent = "dapr" }));
        Assert.Equal(StatusCode.Internal, pause.StatusCode);
        var noName = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.StartWorkflowBeta1Async(new Proto.StartWorkflowRequest { WorkflowComponent = "dapr" }));
        Assert.Equal(StatusCode.InvalidArgument, noName.StatusCode);
        Assert.Contains("workflow name is not configured", noName.Status.Detail);
        var noEvent = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.RaiseEventWorkflowBeta1Async(new Proto.RaiseEventWorkflowRequest { InstanceId = "x", WorkflowComponent = "dapr" }));
        Assert.Equal(StatusCode.InvalidArgument, noEvent.StatusCode);
        var noId = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.GetWorkflowBeta1Async(new Proto.GetWorkflowRequest { WorkflowComponent = "dapr" }));
        Assert.Equal(StatusCode.InvalidArgument, noId.StatusCode);
    }

    private static async Task<Proto.GetWorkflowResponse> WaitForStatusAsync(Proto.Dapr.DaprClient client, string instanceId, string status)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var response = await client.GetWorkflowBeta1Async(
                new Proto.GetWorkflowRequest { InstanceId = instanceId, WorkflowComponent = "dapr" }, cancellationToken: cts.Token);
            if (response.RuntimeStatus == status)
            {
                return response;
            }

            await Task.Delay(50, cts.Token);
        }
    }
}

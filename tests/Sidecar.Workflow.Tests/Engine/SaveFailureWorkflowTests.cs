using Dapr.DurableTask.Protobuf;
using Grpc.Core;
using Sidecar.Workflow.Tests.Infrastructure;

namespace Sidecar.Workflow.Tests.Engine;

/// <summary>A step is published only after it is saved: a failed save changes nothing visible, and the work comes back.</summary>
public sealed class SaveFailureWorkflowTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task CompleteWorkflowTask_WhenTheSaveFails_ReturnsAnError_LeavesTheInstanceUnchanged_AndRedeliversTheTurn()
    {
        await using var hub = await RawTaskHub.StartAsync();
        using var cts = new CancellationTokenSource(Patience);
        using var stream = hub.Client.GetWorkItems(new GetWorkItemsRequest(), cancellationToken: cts.Token);
        var id = "savefail-" + Guid.NewGuid().ToString("N");
        var start = hub.Client.StartInstanceAsync(new CreateInstanceRequest { InstanceId = id, Name = "Once", Input = "\"in\"" }, cancellationToken: cts.Token);
        var first = await NextWorkflowItemAsync(stream, cts.Token);

        hub.Store.FailNextTransaction();
        var failed = await Assert.ThrowsAsync<RpcException>(async () =>
            await hub.Client.CompleteWorkflowTaskAsync(Completion(first, "\"done\""), cancellationToken: cts.Token));
        var afterFailure = await hub.Client.GetInstanceAsync(new GetInstanceRequest { InstanceId = id, GetInputsAndOutputs = true }, cancellationToken: cts.Token);
        var again = await NextWorkflowItemAsync(stream, cts.Token);
        await hub.Client.CompleteWorkflowTaskAsync(Completion(again, "\"done\""), cancellationToken: cts.Token);
        await start;
        var final = await hub.Client.GetInstanceAsync(new GetInstanceRequest { InstanceId = id, GetInputsAndOutputs = true }, cancellationToken: cts.Token);

        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
        Assert.Contains("delivered again", failed.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(OrchestrationStatus.Pending, afterFailure.WorkflowState.WorkflowStatus);
        Assert.Null(afterFailure.WorkflowState.Output);
        Assert.Equal(id, again.WorkflowRequest.InstanceId);
        Assert.Empty(again.WorkflowRequest.PastEvents);
        Assert.Equal(OrchestrationStatus.Completed, final.WorkflowState.WorkflowStatus);
        Assert.Equal("\"done\"", final.WorkflowState.Output);
    }

    [Fact]
    public async Task CompleteActivityTask_WhenTheSaveFails_ReturnsAnError_AndTheActivityIsRedelivered()
    {
        await using var hub = await RawTaskHub.StartAsync();
        using var cts = new CancellationTokenSource(Patience);
        using var stream = hub.Client.GetWorkItems(new GetWorkItemsRequest(), cancellationToken: cts.Token);
        var id = "actfail-" + Guid.NewGuid().ToString("N");
        _ = hub.Client.StartInstanceAsync(new CreateInstanceRequest { InstanceId = id, Name = "OneStep" }, cancellationToken: cts.Token);
        var turn = await NextWorkflowItemAsync(stream, cts.Token);
        var schedule = new WorkflowResponse { InstanceId = id, CompletionToken = turn.CompletionToken };
        schedule.Actions.Add(new WorkflowAction { Id = 0, ScheduleTask = new ScheduleTaskAction { Name = "Step" } });
        await hub.Client.CompleteWorkflowTaskAsync(schedule, cancellationToken: cts.Token);
        var activity = await NextItemAsync(stream, WorkItem.RequestOneofCase.ActivityRequest, cts.Token);

        hub.Store.FailNextTransaction();
        await Assert.ThrowsAsync<RpcException>(async () =>
            await hub.Client.CompleteActivityTaskAsync(ActivityDone(id, activity), cancellationToken: cts.Token));
        var history = await hub.Client.GetInstanceHistoryAsync(new GetInstanceHistoryRequest { InstanceId = id }, cancellationToken: cts.Token);
        var redelivered = await NextItemAsync(stream, WorkItem.RequestOneofCase.ActivityRequest, cts.Token);
        await hub.Client.CompleteActivityTaskAsync(ActivityDone(id, redelivered), cancellationToken: cts.Token);
        var next = await NextWorkflowItemAsync(stream, cts.Token);

        Assert.DoesNotContain(history.Events, e => e.TaskCompleted is not null);
        Assert.Equal(activity.CompletionToken, redelivered.CompletionToken);
        Assert.Contains(next.WorkflowRequest.NewEvents, e => e.TaskCompleted?.Result == "\"ok\"");
    }

    private static WorkflowResponse Completion(WorkItem item, string result)
    {
        var response = new WorkflowResponse { InstanceId = item.WorkflowRequest.InstanceId, CompletionToken = item.CompletionToken };
        response.Actions.Add(new WorkflowAction
        {
            Id = 0,
            CompleteWorkflow = new CompleteWorkflowAction { WorkflowStatus = OrchestrationStatus.Completed, Result = result },
        });
        return response;
    }

    private static ActivityResponse ActivityDone(string instanceId, WorkItem item) => new()
    {
        InstanceId = instanceId,
        TaskId = item.ActivityRequest.TaskId,
        CompletionToken = item.CompletionToken,
        Result = "\"ok\"",
    };

    private static Task<WorkItem> NextWorkflowItemAsync(AsyncServerStreamingCall<WorkItem> stream, CancellationToken cancellationToken) =>
        NextItemAsync(stream, WorkItem.RequestOneofCase.WorkflowRequest, cancellationToken);

    private static async Task<WorkItem> NextItemAsync(
        AsyncServerStreamingCall<WorkItem> stream, WorkItem.RequestOneofCase kind, CancellationToken cancellationToken)
    {
        while (await stream.ResponseStream.MoveNext(cancellationToken))
        {
            if (stream.ResponseStream.Current.RequestCase == kind)
            {
                return stream.ResponseStream.Current;
            }
        }

        throw new InvalidOperationException("the work item stream ended");
    }
}

using Dapr.DurableTask.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sidecar.Errors;
using Sidecar.Workflow;

namespace Sidecar.Api.Grpc;

/// <summary>
/// <c>TaskHubSidecarService</c>: thin adapters from the durabletask protocol the workflow SDK speaks to
/// <see cref="IWorkflowEngine"/>. Errors leave as the <see cref="DaprError"/>'s gRPC status.
/// </summary>
internal sealed class TaskHubSidecarService(IWorkflowEngine engine, IHostApplicationLifetime lifetime)
{
    /// <summary>No proto package: the method paths are <c>/TaskHubSidecarService/&lt;Method&gt;</c>.</summary>
    public const string ServiceName = "TaskHubSidecarService";

    public Task<Empty> Hello(Empty request, ServerCallContext context) => Task.FromResult(new Empty());

    public Task<CreateInstanceResponse> StartInstance(CreateInstanceRequest request, ServerCallContext context) =>
        Translate(async () => new CreateInstanceResponse { InstanceId = await engine.StartAsync(request, context.CancellationToken) });

    public Task<GetInstanceResponse> GetInstance(GetInstanceRequest request, ServerCallContext context) =>
        Translate(async () => ToResponse(await engine.GetAsync(request.InstanceId, request.GetInputsAndOutputs, context.CancellationToken)));

    public Task<GetInstanceResponse> WaitForInstanceStart(GetInstanceRequest request, ServerCallContext context) =>
        Translate(async () => ToResponse(await engine.WaitForStartAsync(
            request.InstanceId, request.GetInputsAndOutputs, context.CancellationToken)));

    public Task<GetInstanceResponse> WaitForInstanceCompletion(GetInstanceRequest request, ServerCallContext context) =>
        Translate(async () => ToResponse(await engine.WaitForCompletionAsync(
            request.InstanceId, request.GetInputsAndOutputs, context.CancellationToken)));

    public Task<RaiseEventResponse> RaiseEvent(RaiseEventRequest request, ServerCallContext context) =>
        Translate(async () =>
        {
            await engine.RaiseEventAsync(request.InstanceId, request.Name, request.Input, context.CancellationToken);
            return new RaiseEventResponse();
        });

    public Task<TerminateResponse> TerminateInstance(TerminateRequest request, ServerCallContext context) =>
        Translate(async () =>
        {
            await engine.TerminateAsync(request.InstanceId, request.Output, request.Recursive, context.CancellationToken);
            return new TerminateResponse();
        });

    public Task<SuspendResponse> SuspendInstance(SuspendRequest request, ServerCallContext context) =>
        Translate(async () =>
        {
            await engine.SuspendAsync(request.InstanceId, request.Reason, context.CancellationToken);
            return new SuspendResponse();
        });

    public Task<ResumeResponse> ResumeInstance(ResumeRequest request, ServerCallContext context) =>
        Translate(async () =>
        {
            await engine.ResumeAsync(request.InstanceId, request.Reason, context.CancellationToken);
            return new ResumeResponse();
        });

    public Task<PurgeInstancesResponse> PurgeInstances(PurgeInstancesRequest request, ServerCallContext context) =>
        Translate(async () =>
        {
            var deleted = request.RequestCase == PurgeInstancesRequest.RequestOneofCase.PurgeInstanceFilter
                ? await engine.PurgeAsync(request.PurgeInstanceFilter, context.CancellationToken)
                : await engine.PurgeAsync(request.InstanceId, request.Recursive, context.CancellationToken);
            return new PurgeInstancesResponse { DeletedInstanceCount = deleted, IsComplete = true };
        });

    public Task<GetInstanceHistoryResponse> GetInstanceHistory(GetInstanceHistoryRequest request, ServerCallContext context) =>
        Translate(async () =>
        {
            var response = new GetInstanceHistoryResponse();
            response.Events.AddRange(await engine.GetHistoryAsync(request.InstanceId, context.CancellationToken));
            return response;
        });

    /// <summary>The worker's stream: open until the worker leaves or the sidecar stops.</summary>
    public async Task GetWorkItems(GetWorkItemsRequest request, IServerStreamWriter<WorkItem> writer, ServerCallContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await engine.StreamWorkItemsAsync(item => writer.WriteAsync(item, linked.Token), linked.Token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // The worker disconnected or the sidecar is stopping: its unfinished items were requeued.
        }
    }

    public Task<CompleteTaskResponse> CompleteOrchestratorTask(WorkflowResponse request, ServerCallContext context) =>
        Translate(async () =>
        {
            await engine.CompleteWorkflowTaskAsync(request, context.CancellationToken);
            return new CompleteTaskResponse();
        });

    public Task<CompleteTaskResponse> CompleteActivityTask(ActivityResponse request, ServerCallContext context) =>
        Translate(async () =>
        {
            await engine.CompleteActivityTaskAsync(request, context.CancellationToken);
            return new CompleteTaskResponse();
        });

    private static GetInstanceResponse ToResponse(WorkflowState? state) =>
        state is null ? new GetInstanceResponse { Exists = false } : new GetInstanceResponse { Exists = true, WorkflowState = state };

    private static async Task<T> Translate<T>(Func<Task<T>> handler)
    {
        try
        {
            return await handler();
        }
        catch (DaprException ex)
        {
            throw new RpcException(new Status(ex.Error.GrpcStatus, ex.Error.Message));
        }
    }
}

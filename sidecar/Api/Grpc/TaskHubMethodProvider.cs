using Dapr.DurableTask.Protobuf;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Sidecar.Api.Grpc;

/// <summary>
/// Binds <see cref="TaskHubSidecarService"/>'s methods (the package ships client stubs only). Methods not bound here
/// (RerunWorkflowFromEvent, ListInstanceIDs) answer <c>Unimplemented</c>.
/// </summary>
internal sealed class TaskHubMethodProvider : IServiceMethodProvider<TaskHubSidecarService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TaskHubSidecarService> context)
    {
        Unary<Empty, Empty>(context, "Hello", (s, r, c) => s.Hello(r, c));
        Unary<CreateInstanceRequest, CreateInstanceResponse>(context, "StartInstance", (s, r, c) => s.StartInstance(r, c));
        Unary<GetInstanceRequest, GetInstanceResponse>(context, "GetInstance", (s, r, c) => s.GetInstance(r, c));
        Unary<GetInstanceRequest, GetInstanceResponse>(context, "WaitForInstanceStart", (s, r, c) => s.WaitForInstanceStart(r, c));
        Unary<GetInstanceRequest, GetInstanceResponse>(context, "WaitForInstanceCompletion", (s, r, c) => s.WaitForInstanceCompletion(r, c));
        Unary<RaiseEventRequest, RaiseEventResponse>(context, "RaiseEvent", (s, r, c) => s.RaiseEvent(r, c));
        Unary<TerminateRequest, TerminateResponse>(context, "TerminateInstance", (s, r, c) => s.TerminateInstance(r, c));
        Unary<SuspendRequest, SuspendResponse>(context, "SuspendInstance", (s, r, c) => s.SuspendInstance(r, c));
        Unary<ResumeRequest, ResumeResponse>(context, "ResumeInstance", (s, r, c) => s.ResumeInstance(r, c));
        Unary<PurgeInstancesRequest, PurgeInstancesResponse>(context, "PurgeInstances", (s, r, c) => s.PurgeInstances(r, c));
        Unary<GetInstanceHistoryRequest, GetInstanceHistoryResponse>(context, "GetInstanceHistory", (s, r, c) => s.GetInstanceHistory(r, c));
        Unary<ActivityResponse, CompleteTaskResponse>(context, "CompleteActivityTask", (s, r, c) => s.CompleteActivityTask(r, c));
        // Same message, two names: older workers call CompleteOrchestratorTask, newer ones CompleteWorkflowTask.
        Unary<WorkflowResponse, CompleteTaskResponse>(context, "CompleteOrchestratorTask", (s, r, c) => s.CompleteOrchestratorTask(r, c));
        Unary<WorkflowResponse, CompleteTaskResponse>(context, "CompleteWorkflowTask", (s, r, c) => s.CompleteOrchestratorTask(r, c));

        context.AddServerStreamingMethod(
            new Method<GetWorkItemsRequest, WorkItem>(
                MethodType.ServerStreaming, TaskHubSidecarService.ServiceName, "GetWorkItems",
                Marshaller(GetWorkItemsRequest.Parser), Marshaller(WorkItem.Parser)),
            [],
            (service, request, writer, callContext) => service.GetWorkItems(request, writer, callContext));
    }

    private static void Unary<TRequest, TResponse>(
        ServiceMethodProviderContext<TaskHubSidecarService> context, string name,
        UnaryServerMethod<TaskHubSidecarService, TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = new Method<TRequest, TResponse>(
            MethodType.Unary, TaskHubSidecarService.ServiceName, name,
            Marshaller(new MessageParser<TRequest>(() => new TRequest())), Marshaller(new MessageParser<TResponse>(() => new TResponse())));
        context.AddUnaryMethod(method, [], handler);
    }

    private static Marshaller<T> Marshaller<T>(MessageParser<T> parser) where T : IMessage<T> =>
        Marshallers.Create(m => m.ToByteArray(), parser.ParseFrom);
}

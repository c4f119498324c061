using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Sidecar.Workflow.Api;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Grpc;

/// <summary>
/// The workflow management RPCs (<c>StartWorkflowBeta1</c>, <c>GetWorkflowBeta1</c>, ...; the Alpha1 names share the
/// messages and handlers, as in daprd). The workflow component name is not checked, as daprd 1.18 does not check it.
/// </summary>
internal sealed partial class DaprGrpcService
{
    public static async Task<Proto.StartWorkflowResponse> StartWorkflow(Proto.StartWorkflowRequest request, ServerCallContext context)
    {
        // daprd passes the input bytes on as text, an absent input as "".
        var instanceId = await context.Service<IWorkflowApi>().StartAsync(
            request.WorkflowName, request.InstanceId, request.Input.ToStringUtf8(), request.Options, context.CancellationToken);
        return new Proto.StartWorkflowResponse { InstanceId = instanceId };
    }

    /// <summary>An unknown instance is no error here (daprd answers with only the instance id); HTTP answers 404.</summary>
    public static async Task<Proto.GetWorkflowResponse> GetWorkflow(Proto.GetWorkflowRequest request, ServerCallContext context)
    {
        var info = await context.Service<IWorkflowApi>().GetAsync(request.InstanceId, context.CancellationToken);
        return info is null ? new Proto.GetWorkflowResponse { InstanceId = request.InstanceId } : ToProto(info);
    }

    public static async Task<Empty> RaiseEventWorkflow(Proto.RaiseEventWorkflowRequest request, ServerCallContext context)
    {
        // Go's protobuf reads absent bytes as nil: daprd raises the event without data.
        var data = request.EventData.IsEmpty ? null : request.EventData.ToStringUtf8();
        await context.Service<IWorkflowApi>().RaiseEventAsync(request.InstanceId, request.EventName, data, context.CancellationToken);
        return new Empty();
    }

    public static async Task<Empty> PauseWorkflow(Proto.PauseWorkflowRequest request, ServerCallContext context)
    {
        await context.Service<IWorkflowApi>().PauseAsync(request.InstanceId, context.CancellationToken);
        return new Empty();
    }

    public static async Task<Empty> ResumeWorkflow(Proto.ResumeWorkflowRequest request, ServerCallContext context)
    {
        await context.Service<IWorkflowApi>().ResumeAsync(request.InstanceId, context.CancellationToken);
        return new Empty();
    }

    public static async Task<Empty> TerminateWorkflow(Proto.TerminateWorkflowRequest request, ServerCallContext context)
    {
        await context.Service<IWorkflowApi>().TerminateAsync(request.InstanceId, context.CancellationToken);
        return new Empty();
    }

    public static async Task<Empty> PurgeWorkflow(Proto.PurgeWorkflowRequest request, ServerCallContext context)
    {
        await context.Service<IWorkflowApi>().PurgeAsync(request.InstanceId, context.CancellationToken);
        return new Empty();
    }

    /// <summary>daprd's <c>GetWorkflowResponse</c>; the HTTP API writes the same message as JSON.</summary>
    internal static Proto.GetWorkflowResponse ToProto(WorkflowInfo info)
    {
        var response = new Proto.GetWorkflowResponse
        {
            InstanceId = info.InstanceId,
            WorkflowName = info.WorkflowName,
            CreatedAt = Timestamp.FromDateTimeOffset(info.CreatedAt),
            LastUpdatedAt = Timestamp.FromDateTimeOffset(info.LastUpdatedAt),
            RuntimeStatus = info.RuntimeStatus,
        };
        response.Properties.Fill(info.Properties);
        return response;
    }
}

/// <summary>Binds the workflow RPCs under their Beta1 and (deprecated) Alpha1 names.</summary>
internal sealed partial class DaprGrpcMethodProvider
{
    static partial void AddWorkflowMethods(ServiceMethodProviderContext<DaprGrpcService> context)
    {
        foreach (var suffix in new[] { "Beta1", "Alpha1" })
        {
            context.AddDaprUnary<Proto.StartWorkflowRequest, Proto.StartWorkflowResponse>("StartWorkflow" + suffix, DaprGrpcService.StartWorkflow);
            context.AddDaprUnary<Proto.GetWorkflowRequest, Proto.GetWorkflowResponse>("GetWorkflow" + suffix, DaprGrpcService.GetWorkflow);
            context.AddDaprUnary<Proto.RaiseEventWorkflowRequest, Empty>("RaiseEventWorkflow" + suffix, DaprGrpcService.RaiseEventWorkflow);
            context.AddDaprUnary<Proto.PauseWorkflowRequest, Empty>("PauseWorkflow" + suffix, DaprGrpcService.PauseWorkflow);
            context.AddDaprUnary<Proto.ResumeWorkflowRequest, Empty>("ResumeWorkflow" + suffix, DaprGrpcService.ResumeWorkflow);
            context.AddDaprUnary<Proto.TerminateWorkflowRequest, Empty>("TerminateWorkflow" + suffix, DaprGrpcService.TerminateWorkflow);
            context.AddDaprUnary<Proto.PurgeWorkflowRequest, Empty>("PurgeWorkflow" + suffix, DaprGrpcService.PurgeWorkflow);
        }
    }
}

using System.Text;
using Google.Protobuf;
using Sidecar.Api.Grpc;
using Sidecar.Workflow.Api;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Api.Http;

/// <summary>
/// The workflow management API, served like daprd under <c>/v1.0-alpha1</c>, <c>/v1.0-beta1</c> and <c>/v1.0</c>:
/// <c>POST workflows/{component}/{workflowName}/start?instanceID=</c> (body = input), <c>GET workflows/{component}/{instanceID}</c>
/// and <c>POST workflows/{component}/{instanceID}/raiseEvent/{eventName}|pause|resume|terminate|purge</c>. Successful
/// writes answer 202 like daprd; answers are daprd's protobuf messages in protojson form.
/// </summary>
internal static partial class DaprHttpApi
{
    private static readonly string[] WorkflowApiVersions = ["v1.0-alpha1", "v1.0-beta1", "v1.0"];

    static partial void MapWorkflow(WebApplication app)
    {
        foreach (var version in WorkflowApiVersions)
        {
            // daprd 1.18 ignores the component segment (the documented name is "dapr").
            var workflows = app.MapGroup($"/{version}/workflows/{{workflowComponent}}").WithDaprErrors();
            workflows.MapPost("/{workflowName}/start", StartWorkflow);
            workflows.MapGet("/{instanceId}", GetWorkflow);
            workflows.MapPost("/{instanceId}/raiseEvent/{eventName}", RaiseWorkflowEvent);
            workflows.MapPost("/{instanceId}/pause", (string instanceId, IWorkflowApi api, CancellationToken ct) =>
                Accepted(api.PauseAsync(instanceId, ct)));
            workflows.MapPost("/{instanceId}/resume", (string instanceId, IWorkflowApi api, CancellationToken ct) =>
                Accepted(api.ResumeAsync(instanceId, ct)));
            workflows.MapPost("/{instanceId}/terminate", (string instanceId, IWorkflowApi api, CancellationToken ct) =>
                Accepted(api.TerminateAsync(instanceId, ct)));
            workflows.MapPost("/{instanceId}/purge", (string instanceId, IWorkflowApi api, CancellationToken ct) =>
                Accepted(api.PurgeAsync(instanceId, ct)));
        }
    }

    private static async Task<IResult> StartWorkflow(string workflowName, HttpContext context, IWorkflowApi api)
    {
        // The body is the input as sent, whatever its format (daprd makes no assumption either); none is "".
        var input = Encoding.UTF8.GetString(await ReadBodyAsync(context.Request, context.RequestAborted));
        var instanceId = await api.StartAsync(
            workflowName, context.Request.Query["instanceID"].ToString(), input, new Dictionary<string, string>(), context.RequestAborted);
        return ProtoJson(new Proto.StartWorkflowResponse { InstanceId = instanceId }, StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> GetWorkflow(string instanceId, IWorkflowApi api, CancellationToken cancellationToken)
    {
        var info = await api.GetAsync(instanceId, cancellationToken)
            ?? throw WorkflowApiErrors.InstanceNotFound(instanceId).ToException();
        return ProtoJson(DaprGrpcService.ToProto(info), StatusCodes.Status200OK);
    }

    private static async Task<IResult> RaiseWorkflowEvent(string instanceId, string eventName, HttpContext context, IWorkflowApi api)
    {
        // As in daprd, an empty body is event data "" (not "no data").
        var data = Encoding.UTF8.GetString(await ReadBodyAsync(context.Request, context.RequestAborted));
        return await Accepted(api.RaiseEventAsync(instanceId, eventName, data, context.RequestAborted));
    }

    /// <summary>daprd answers these with 202 and the empty message, <c>{}</c>.</summary>
    private static async Task<IResult> Accepted(Task operation)
    {
        await operation;
        return ProtoJson(new Google.Protobuf.WellKnownTypes.Empty(), StatusCodes.Status202Accepted);
    }

    /// <summary>A protobuf message as daprd's protojson writes it (json_name field names, RFC 3339 timestamps, defaults left out).</summary>
    private static IResult ProtoJson(IMessage message, int statusCode) =>
        TypedResults.Text(JsonFormatter.Default.Format(message), "application/json", Encoding.UTF8, statusCode);
}

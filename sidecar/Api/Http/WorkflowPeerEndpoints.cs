using System.Net;
using Dapr.DurableTask.Protobuf;
using Google.Protobuf;
using Sidecar.Errors;
using Sidecar.Invocation;
using Sidecar.NameResolution;
using Sidecar.Workflow.Engine;
using Sidecar.Workflow.Peers;
using P = Sidecar.Workflow.Peers.WorkflowPeerProtocol;

namespace Sidecar.Api.Http;

/// <summary>
/// The internal workflow routes (<see cref="WorkflowPeerProtocol"/>): another process's sidecar hands this one's engine
/// workflow work addressed to this app (daprd: internal actor invocation of the app's workflow and activity actors).
/// Admitted like internal invocation, by this registration's token; every answer names this registration. The engine's
/// own errors carry <see cref="InternalInvocation.ErrorHeader"/>, and the caller tries again.
/// </summary>
internal static partial class DaprHttpApi
{
    static partial void MapWorkflowPeers(WebApplication app)
    {
        app.MapPost(P.RunActivity, RunActivityForPeer).WithName("InternalWorkflowRunActivity");
        app.MapPost(P.ActivityResult, RecordActivityResultForPeer).WithName("InternalWorkflowActivityResult");
        app.MapPost(P.StartChild, StartChildForPeer).WithName("InternalWorkflowStartChild");
        app.MapPost(P.ResumeChild, ResumeChildForPeer).WithName("InternalWorkflowResumeChild");
        app.MapPost(P.ChildResult, AppendChildResultForPeer).WithName("InternalWorkflowChildResult");
        app.MapPost(P.Terminate, TerminateForPeer).WithName("InternalWorkflowTerminate");
    }

    private static Task RunActivityForPeer(HttpContext c) => FromPeerAsync(c, WorkItem.Parser, (engine, item) =>
    {
        var source = new PeerSource(Header(c, P.SourceAppHeader), Header(c, P.SourceInstanceHeader), item.CompletionToken);
        if (item.ActivityRequest is not { } request || source.AppId.Length == 0 || source.Token.Length == 0)
        {
            throw Malformed($"an activity needs activityRequest, completionToken and header {P.SourceAppHeader}").ToException();
        }

        engine.AcceptPeerActivity(request, source);
        return Task.FromResult<bool?>(null);
    });

    private static Task RecordActivityResultForPeer(HttpContext c) => FromPeerAsync(c, ActivityResponse.Parser,
        async (engine, response) => (bool?)await engine.RecordPeerActivityResultAsync(response, c.RequestAborted));

    private static Task StartChildForPeer(HttpContext c) => FromPeerAsync(c, ExecutionStartedEvent.Parser, async (engine, child) =>
    {
        await engine.StartChildForPeerAsync(child, c.RequestAborted);
        return null;
    });

    private static Task ResumeChildForPeer(HttpContext c) => FromPeerAsync(c, ExecutionStartedEvent.Parser, async (engine, child) =>
    {
        await engine.ResumeChildForPeerAsync(child);
        return null;
    });

    private static Task AppendChildResultForPeer(HttpContext c) => FromPeerAsync(c, HistoryEvent.Parser, async (engine, e) =>
    {
        var result = new ChildResult(Header(c, P.InstanceHeader), Header(c, P.ExecutionHeader), e);
        if (result.ParentInstanceId.Length == 0 || result.ParentExecutionId.Length == 0)
        {
            throw Malformed($"a child's result needs headers {P.InstanceHeader} and {P.ExecutionHeader}").ToException();
        }

        return (bool?)await engine.AppendChildResultAsync(result, c.RequestAborted);
    });

    private static Task TerminateForPeer(HttpContext c) => FromPeerAsync(c, TerminateRequest.Parser, async (engine, request) =>
    {
        await engine.TerminateForPeerAsync(request.InstanceId, request.Output, request.Recursive, c.RequestAborted);
        return null;
    });

    /// <summary>
    /// Admits the caller, parses the body, runs <paramref name="handle"/>; a non-null outcome is answered in
    /// <see cref="WorkflowPeerProtocol.OutcomeHeader"/> (recorded or stale).
    /// </summary>
    private static async Task FromPeerAsync<T>(HttpContext context, MessageParser<T> parser, Func<WorkflowEngine, T, Task<bool?>> handle)
        where T : IMessage<T>
    {
        if (!InternalInvocation.Admit(context, context.RequestServices.GetRequiredService<NameRegistration>()))
        {
            await WriteSidecarErrorAsync(context, InvalidInternalToken);
            return;
        }

        T body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = parser.ParseFrom(buffer.ToArray());
        }
        catch (InvalidProtocolBufferException e)
        {
            await WriteSidecarErrorAsync(context, Malformed($"the body is not a {typeof(T).Name}: {e.Message}"));
            return;
        }

        bool? outcome;
        try
        {
            outcome = await handle(context.RequestServices.GetRequiredService<WorkflowEngine>(), body);
        }
        catch (DaprException e)
        {
            await WriteSidecarErrorAsync(context, e.Error);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store failure underneath the engine: the caller keeps its work and tries again.
            await WriteSidecarErrorAsync(context, new DaprError(
                "ERR_WORKFLOW_PEER", e.Message, HttpStatusCode.ServiceUnavailable, global::Grpc.Core.StatusCode.Unavailable));
            return;
        }

        if (outcome is { } recorded)
        {
            context.Response.Headers[P.OutcomeHeader] = recorded ? P.Recorded : P.Stale;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static DaprError Malformed(string message) => new(
        "ERR_MALFORMED_REQUEST", $"workflow peer request: {message}", HttpStatusCode.BadRequest, global::Grpc.Core.StatusCode.InvalidArgument);

    private static string Header(HttpContext context, string name) => context.Request.Headers[name].FirstOrDefault() ?? "";
}

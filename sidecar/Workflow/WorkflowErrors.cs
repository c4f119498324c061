using System.Net;
using Grpc.Core;
using Sidecar.Errors;

namespace Sidecar.Workflow;

/// <summary>The workflow building block's errors, answered the same way by every surface.</summary>
internal static class WorkflowErrors
{
    public static DaprError InstanceNotFound(string instanceId) => new(
        "ERR_WORKFLOW_INSTANCE_NOT_FOUND", $"no workflow instance with id '{instanceId}' exists",
        HttpStatusCode.NotFound, StatusCode.NotFound);

    public static DaprError InstanceAlreadyExists(string instanceId) => new(
        "ERR_WORKFLOW_INSTANCE_EXISTS",
        $"an active workflow with id '{instanceId}' already exists; wait for it to finish or terminate it first",
        HttpStatusCode.Conflict, StatusCode.AlreadyExists);

    public static DaprError NotFinished(string instanceId) => new(
        "ERR_WORKFLOW_NOT_FINISHED",
        $"workflow '{instanceId}' is still running; only completed, failed or terminated workflows can be purged",
        HttpStatusCode.BadRequest, StatusCode.FailedPrecondition);

    public static DaprError PurgeByFilterUnsupported() => new(
        "ERR_WORKFLOW_PURGE_FILTER_UNSUPPORTED",
        "multi-instance purge is not implemented; purge each finished workflow by its instance id",
        HttpStatusCode.NotImplemented, StatusCode.Unimplemented);

    public static DaprError SaveFailed(string instanceId, string reason) => new(
        "ERR_WORKFLOW_SAVE_FAILED",
        $"could not save workflow '{instanceId}' to the actor state store ({reason}); nothing changed and the work item will be delivered again",
        HttpStatusCode.InternalServerError, StatusCode.Unavailable);

    public static DaprError NoActorStateStore() => new(
        "ERR_WORKFLOW_STATE_STORE_NOT_CONFIGURED",
        "workflows need a state store component with metadata actorStateStore: \"true\"; add one to the resources path",
        HttpStatusCode.InternalServerError, StatusCode.FailedPrecondition);

    public static DaprError MissingArgument(string name) => new(
        "ERR_WORKFLOW_BAD_REQUEST", $"'{name}' is required", HttpStatusCode.BadRequest, StatusCode.InvalidArgument);
}

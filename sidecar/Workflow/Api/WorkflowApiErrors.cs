using System.Net;
using Grpc.Core;
using Sidecar.Errors;

namespace Sidecar.Workflow.Api;

/// <summary>
/// The workflow management API's errors with daprd's codes, statuses and messages (daprd <c>pkg/messages</c>). An
/// engine failure is wrapped in the operation's error, as daprd wraps its workflow client's.
/// </summary>
internal static class WorkflowApiErrors
{
    public const int MaxInstanceIdLength = 64;

    public static DaprError InstanceIdMissing() => new(
        "ERR_INSTANCE_ID_PROVIDED_MISSING", "no instance ID was provided", HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    public static DaprError InstanceIdTooLong() => new(
        "ERR_INSTANCE_ID_TOO_LONG", $"workflow instance ID exceeds the max length of {MaxInstanceIdLength} characters",
        HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    public static DaprError InstanceIdInvalid(string instanceId) => new(
        "ERR_INSTANCE_ID_INVALID",
        $"workflow instance ID '{instanceId}' is invalid: only alphanumeric and underscore characters are allowed",
        HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    public static DaprError InstanceNotFound(string instanceId) => new(
        "ERR_INSTANCE_ID_NOT_FOUND", $"unable to find workflow with the provided instance ID: {instanceId}",
        HttpStatusCode.NotFound, StatusCode.NotFound);

    public static DaprError NameMissing() => new(
        "ERR_WORKFLOW_NAME_MISSING", "workflow name is not configured", HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    public static DaprError EventNameMissing() => new(
        "ERR_WORKFLOW_EVENT_NAME_MISSING", "missing workflow event name", HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    public static DaprError Start(string workflowName, string reason) =>
        Internal("ERR_START_WORKFLOW", $"error starting workflow '{workflowName}': {reason}");

    public static DaprError Get(string instanceId, string reason) =>
        Internal("ERR_GET_WORKFLOW", $"error while getting workflow info on instance '{instanceId}': {reason}");

    public static DaprError Terminate(string instanceId, string reason) =>
        Internal("ERR_TERMINATE_WORKFLOW", $"error terminating workflow '{instanceId}': {reason}");

    public static DaprError RaiseEvent(string instanceId, string reason) =>
        Internal("ERR_RAISE_EVENT_WORKFLOW", $"error raising event on workflow '{instanceId}': {reason}");

    public static DaprError Pause(string instanceId, string reason) =>
        Internal("ERR_PAUSE_WORKFLOW", $"error pausing workflow {instanceId}: {reason}");

    public static DaprError Resume(string instanceId, string reason) =>
        Internal("ERR_RESUME_WORKFLOW", $"error resuming workflow {instanceId}: {reason}");

    public static DaprError Purge(string instanceId, string reason) =>
        Internal("ERR_PURGE_WORKFLOW", $"error purging workflow {instanceId}: {reason}");

    private static DaprError Internal(string code, string message) =>
        new(code, message, HttpStatusCode.InternalServerError, StatusCode.Internal);
}

using System.Net;
using Grpc.Core;
using Sidecar.Errors;

namespace Sidecar.Jobs;

/// <summary>The jobs building block's errors, with daprd's codes, messages and statuses (pkg/api/errors/scheduler.go).</summary>
internal static class JobsErrors
{
    public static DaprError Empty(string what, string code) =>
        new(code, $"{what} is empty", HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    public static DaprError JobEmpty() => Empty("Job", "DAPR_SCHEDULER_EMPTY");

    public static DaprError NameEmpty() => Empty("Name", "DAPR_SCHEDULER_JOB_NAME_EMPTY");

    public static DaprError ScheduleEmpty() => Empty("Schedule", "DAPR_SCHEDULER_SCHEDULE_EMPTY");

    public static DaprError NameInBody() =>
        new("DAPR_SCHEDULER_JOB_NAME", "Set the job name in the url only", HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    /// <summary>A job that exists already and was scheduled without <c>overwrite</c>: AlreadyExists, so 409.</summary>
    public static DaprError AlreadyExists(string name) =>
        new("DAPR_SCHEDULER_SCHEDULE_JOB", $"failed to schedule job due to: rpc error: code = AlreadyExists desc = job already exists: {name}",
            HttpStatusCode.Conflict, StatusCode.AlreadyExists);

    /// <summary>
    /// A schedule, due time, time to live or failure policy the scheduler cannot read. The scheduler refuses these;
    /// answered InvalidArgument (400) so the caller sees it is the request that is wrong.
    /// </summary>
    public static DaprError Invalid(string problem) =>
        new("DAPR_SCHEDULER_SCHEDULE_JOB", $"failed to schedule job due to: {problem}", HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    public static DaprError NotFound(string name) =>
        new("DAPR_SCHEDULER_GET_JOB", $"failed to get job due to: rpc error: code = NotFound desc = job not found: {name}",
            HttpStatusCode.InternalServerError, StatusCode.Internal);

    public static DaprError MalformedBody(string problem) =>
        new("ERR_MALFORMED_REQUEST", $"failed deserializing HTTP body: {problem}", HttpStatusCode.BadRequest, StatusCode.InvalidArgument);
}

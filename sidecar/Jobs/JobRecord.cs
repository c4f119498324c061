using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Jobs;

/// <summary>
/// A stored job: the job as scheduled, when it was created, the trigger it waits for (<paramref name="Due"/>), how many
/// triggers have passed, the failed attempts of the current one, and the generation that a re-schedule replaces (so a
/// delivery of the old job does not move the new one on).
/// </summary>
internal sealed record JobRecord(
    Proto.Job Job, DateTimeOffset Created, DateTimeOffset Due, uint Count, uint Attempts, string Generation);

namespace Sidecar.Workflow.Persistence;

/// <summary>
/// The stored metadata of one instance (JSON): status, I/O, the inbox and how many history chunks exist. Protobuf
/// values (failure details, parent, inbox events) travel as base64 of their binary form.
/// </summary>
internal sealed record InstanceRecord(
    string InstanceId,
    string Name,
    string ExecutionId,
    int Status,
    string? Input,
    string? Output,
    string? CustomStatus,
    string? Failure,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ScheduledStartAt,
    string? Parent,
    string Inbox,
    int HistoryChunks);

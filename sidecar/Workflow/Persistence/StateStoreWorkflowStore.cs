using System.Text.Json;
using Dapr.DurableTask.Protobuf;
using Google.Protobuf;
using Sidecar.Components.State;
using Sidecar.Hosting;
using Sidecar.Workflow.Engine;

namespace Sidecar.Workflow.Persistence;

/// <summary>
/// <see cref="IWorkflowStore"/> over the actor state store. Keys: <c>{appId}||wf||index</c>,
/// <c>{appId}||wf||{instanceId}||meta</c>, <c>{appId}||wf||{instanceId}||history||{n}</c>.
/// </summary>
internal sealed class StateStoreWorkflowStore : IWorkflowStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly IWorkflowStateStoreSource _source;
    private readonly SidecarOptions _options;
    private readonly GroupCommit _commits;

    public StateStoreWorkflowStore(IWorkflowStateStoreSource source, SidecarOptions options)
    {
        _source = source;
        _options = options;
        _commits = new GroupCommit(RequiredStore, index => Set(IndexKey, JsonSerializer.SerializeToUtf8Bytes(index, Json)));
    }

    private string Prefix => $"{_options.AppId}||wf||";

    private string IndexKey => Prefix + "index";

    private string MetaKey(string instanceId) => $"{Prefix}{instanceId}||meta";

    private string ChunkKey(string instanceId, int chunk) => $"{Prefix}{instanceId}||history||{chunk}";

    public async Task<IReadOnlyList<string>> LoadIndexAsync(CancellationToken cancellationToken)
    {
        // Without an actor state store there is nothing to resume; starting a workflow then answers an error.
        if (_source.GetStore() is not { } store)
        {
            return [];
        }

        var entry = await store.GetAsync(IndexKey, cancellationToken);
        return entry is null ? [] : JsonSerializer.Deserialize<string[]>(entry.Value, Json) ?? [];
    }

    public async Task<InstanceState?> LoadAsync(string instanceId, bool includeHistory, CancellationToken cancellationToken)
    {
        var store = RequiredStore();
        var meta = await store.GetAsync(MetaKey(instanceId), cancellationToken);
        if (meta is null || JsonSerializer.Deserialize<InstanceRecord>(meta.Value, Json) is not { } record)
        {
            return null;
        }

        var instance = new InstanceState(instanceId)
        {
            Name = record.Name,
            ExecutionId = record.ExecutionId,
            Status = (OrchestrationStatus)record.Status,
            Input = record.Input,
            Output = record.Output,
            CustomStatus = record.CustomStatus,
            Failure = record.Failure is null ? null : TaskFailureDetails.Parser.ParseFrom(Convert.FromBase64String(record.Failure)),
            CreatedAt = record.CreatedAt,
            LastUpdatedAt = record.LastUpdatedAt,
            CompletedAt = record.CompletedAt,
            ScheduledStartAt = record.ScheduledStartAt,
            Parent = record.Parent is null ? null : ParentInstanceInfo.Parser.ParseFrom(Convert.FromBase64String(record.Parent)),
            HistoryChunks = record.HistoryChunks,
        };
        instance.Inbox.AddRange(DecodeEvents(Convert.FromBase64String(record.Inbox)));
        for (var chunk = 0; includeHistory && chunk < record.HistoryChunks; chunk++)
        {
            var entry = await store.GetAsync(ChunkKey(instanceId, chunk), cancellationToken)
                ?? throw new InvalidOperationException($"Workflow '{instanceId}' is missing history chunk {chunk} in the actor state store.");
            instance.History.AddRange(DecodeEvents(entry.Value));
        }

        return instance;
    }

    public void ResetIndex(IEnumerable<string> instanceIds) => _commits.ResetIndex(instanceIds);

    public Task SaveAsync(InstanceState instance, HistoryWrite write, IndexChange change)
    {
        var operations = new List<StateOperation>();
        for (var chunk = 0; chunk < write.DeleteChunks; chunk++)
        {
            operations.Add(new StateDeleteOperation(ChunkKey(instance.InstanceId, chunk), null, Concurrency.LastWrite));
        }

        if (write.Append is { } append)
        {
            operations.Add(Set(ChunkKey(instance.InstanceId, write.AppendAt), EncodeEvents(append)));
        }

        operations.Add(Set(MetaKey(instance.InstanceId), JsonSerializer.SerializeToUtf8Bytes(ToRecord(instance), Json)));
        return _commits.CommitAsync(operations, instance.InstanceId, change);
    }

    public Task DeleteAsync(IReadOnlyList<InstanceState> instances, CancellationToken cancellationToken)
    {
        var operations = new List<StateOperation>();
        foreach (var instance in instances)
        {
            operations.Add(new StateDeleteOperation(MetaKey(instance.InstanceId), null, Concurrency.LastWrite));
            for (var chunk = 0; chunk < instance.HistoryChunks; chunk++)
            {
                operations.Add(new StateDeleteOperation(ChunkKey(instance.InstanceId, chunk), null, Concurrency.LastWrite));
            }
        }

        return RequiredStore().ExecuteTransactionAsync(operations, cancellationToken);
    }

    private IStateStore RequiredStore() => _source.GetStore() ?? throw WorkflowErrors.NoActorStateStore().ToException();

    private static StateSetOperation Set(string key, byte[] value) =>
        new(key, value, null, Concurrency.LastWrite, null, "application/octet-stream");

    private static InstanceRecord ToRecord(InstanceState instance) => new(
        instance.InstanceId,
        instance.Name,
        instance.ExecutionId,
        (int)instance.Status,
        instance.Input,
        instance.Output,
        instance.CustomStatus,
        instance.Failure is null ? null : Convert.ToBase64String(instance.Failure.ToByteArray()),
        instance.CreatedAt,
        instance.LastUpdatedAt,
        instance.CompletedAt,
        instance.ScheduledStartAt,
        instance.Parent is null ? null : Convert.ToBase64String(instance.Parent.ToByteArray()),
        Convert.ToBase64String(EncodeEvents(instance.Inbox)),
        instance.HistoryChunks);

    // A list of events is stored as the history response message: a ready-made "repeated HistoryEvent".
    private static byte[] EncodeEvents(IEnumerable<HistoryEvent> events)
    {
        var message = new GetInstanceHistoryResponse();
        message.Events.AddRange(events);
        return message.ToByteArray();
    }

    private static IEnumerable<HistoryEvent> DecodeEvents(byte[] bytes) => GetInstanceHistoryResponse.Parser.ParseFrom(bytes).Events;
}

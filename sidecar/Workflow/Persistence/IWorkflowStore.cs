using Dapr.DurableTask.Protobuf;
using Sidecar.Workflow.Engine;

namespace Sidecar.Workflow.Persistence;

/// <summary>
/// Durable workflow state: per instance a metadata record (status, inbox) and its history in chunks, one chunk per
/// turn so a turn writes only what it added; plus an index of the unfinished instances (the ones to resume at start).
/// </summary>
internal interface IWorkflowStore
{
    Task<IReadOnlyList<string>> LoadIndexAsync(CancellationToken cancellationToken);

    /// <summary>The instance as last saved, or null; its history only when <paramref name="includeHistory"/>.</summary>
    Task<InstanceState?> LoadAsync(string instanceId, bool includeHistory, CancellationToken cancellationToken);

    /// <summary>The index as the engine found it at start (unfinished instances only); written with the next change.</summary>
    void ResetIndex(IEnumerable<string> instanceIds);

    /// <summary>
    /// Atomically writes the instance's metadata, drops its first <see cref="HistoryWrite.DeleteChunks"/> chunks,
    /// appends <see cref="HistoryWrite.Append"/> as the next chunk and applies <paramref name="change"/> to the index.
    /// Completes once durable; other instances' steps may share its transaction.
    /// </summary>
    Task SaveAsync(InstanceState instance, HistoryWrite write, IndexChange change);

    /// <summary>Atomically deletes finished instances (metadata and history); they are not in the index.</summary>
    Task DeleteAsync(IReadOnlyList<InstanceState> instances, CancellationToken cancellationToken);
}

/// <summary>
/// How the stored history changes: delete the first <paramref name="DeleteChunks"/> chunks (a new generation), then
/// append <paramref name="Append"/> (if any) at chunk number <paramref name="AppendAt"/>.
/// </summary>
internal sealed record HistoryWrite(int DeleteChunks, IReadOnlyList<HistoryEvent>? Append, int AppendAt)
{
    public static HistoryWrite None { get; } = new(0, null, 0);
}

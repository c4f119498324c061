using Sidecar.Components.State;

namespace Sidecar.Workflow.Persistence;

/// <summary>
/// Group commit for workflow steps: writes that arrive while a transaction is committing wait and then go to the store
/// together, as one transaction. Each caller's task completes only after the transaction holding its write has
/// committed (so a step is still durable before it is acknowledged); when that transaction fails, every write in it
/// fails, and none of them was applied. One commit at a time: with a commit per step, the store's commit latency (an
/// fsync with <c>synchronous=FULL</c>) capped the whole engine; now it is paid once per batch.
/// The index of unfinished instances lives here too: each write says whether its instance joins or leaves it, and a
/// batch that changes it writes the index key once, after applying its changes in order.
/// </summary>
internal sealed class GroupCommit(Func<IStateStore> store, Func<IReadOnlyCollection<string>, StateOperation> writeIndex)
{
    private readonly Lock _lock = new();
    private List<PendingWrite> _waiting = [];
    private bool _committing;

    // The index as last committed; replaced (never mutated) by a batch that commits a change.
    private HashSet<string> _index = new(StringComparer.Ordinal);

    /// <summary>Sets the committed index (after loading at start); written again with the next change.</summary>
    public void ResetIndex(IEnumerable<string> instanceIds)
    {
        lock (_lock)
        {
            _index = new HashSet<string>(instanceIds, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Commits <paramref name="operations"/> (and the index change) with whatever else is waiting; completes once durable.
    /// Not cancellable once submitted: a write the caller stopped waiting for could still commit, and the caller would
    /// then not publish what the store holds.
    /// </summary>
    public Task CommitAsync(IReadOnlyList<StateOperation> operations, string instanceId, IndexChange change)
    {
        var pending = new PendingWrite(operations, instanceId, change);
        lock (_lock)
        {
            _waiting.Add(pending);
            if (_committing)
            {
                return pending.Done.Task;
            }

            _committing = true;
        }

        _ = Task.Run(DrainAsync);
        return pending.Done.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<PendingWrite> batch;
            HashSet<string> index;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _committing = false;
                    return;
                }

                batch = _waiting;
                _waiting = [];
                index = _index;
            }

            var operations = new List<StateOperation>(batch.Sum(p => p.Operations.Count) + 1);
            HashSet<string>? changed = null;
            foreach (var pending in batch)
            {
                operations.AddRange(pending.Operations);
                if (pending.Change != IndexChange.None)
                {
                    changed ??= new HashSet<string>(index, StringComparer.Ordinal);
                    _ = pending.Change == IndexChange.Add ? changed.Add(pending.InstanceId) : changed.Remove(pending.InstanceId);
                }
            }

            if (changed is not null)
            {
                operations.Add(writeIndex(changed));
            }

            try
            {
                await store().ExecuteTransactionAsync(operations, CancellationToken.None);
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(ex);
                }

                continue;
            }

            if (changed is not null)
            {
                lock (_lock)
                {
                    _index = changed;
                }
            }

            foreach (var pending in batch)
            {
                pending.Done.TrySetResult();
            }
        }
    }

    private sealed record PendingWrite(IReadOnlyList<StateOperation> Operations, string InstanceId, IndexChange Change)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>How a saved step changes the index of unfinished instances.</summary>
internal enum IndexChange
{
    None,

    /// <summary>The instance was created (or replaced a finished one): it is unfinished.</summary>
    Add,

    /// <summary>The instance finished.</summary>
    Remove,
}

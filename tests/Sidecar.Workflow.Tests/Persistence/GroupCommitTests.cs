using System.Text.Json;
using Sidecar.Components.State;
using Sidecar.Workflow.Persistence;

namespace Sidecar.Workflow.Tests.Persistence;

/// <summary>
/// Group commit of workflow steps: writes that arrive while a transaction commits share the next one, each write is
/// acknowledged only once its transaction committed, a failed transaction fails every write in it, and the index of
/// unfinished instances is written once per batch from the batch's changes.
/// </summary>
public sealed class GroupCommitTests
{
    private const string IndexKey = "index";

    [Fact]
    public async Task WritesArrivingDuringACommit_ShareTheNextTransaction_AndCompleteOnlyWhenItHasCommitted()
    {
        var store = new GatedStore();
        var commits = NewCommits(store);

        var first = commits.CommitAsync([Set("a")], "a", IndexChange.None);
        await store.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var second = commits.CommitAsync([Set("b")], "b", IndexChange.None);
        var third = commits.CommitAsync([Set("c")], "c", IndexChange.None);
        await Task.Delay(100);

        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        store.Release();
        await Task.WhenAll(first, second, third).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal([["a"], ["b", "c"]], store.Transactions);
    }

    [Fact]
    public async Task AFailedTransaction_FailsEveryWriteInIt_AndItsIndexChangesAreNotKept()
    {
        var store = new GatedStore { FailFirst = true };
        var commits = NewCommits(store);

        var first = commits.CommitAsync([Set("a")], "a", IndexChange.Add);
        await store.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var second = commits.CommitAsync([Set("b")], "b", IndexChange.Add);
        store.Release();

        await Assert.ThrowsAsync<IOException>(() => first);
        await second.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["b"], store.LastIndex ?? []);
    }

    [Fact]
    public async Task IndexChangesOfOneBatch_AreAppliedInOrder_AndTheIndexIsWrittenOnce()
    {
        var store = new GatedStore();
        var commits = NewCommits(store);
        commits.ResetIndex(["old"]);

        var first = commits.CommitAsync([Set("x")], "x", IndexChange.None);
        await store.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var writes = new[]
        {
            commits.CommitAsync([Set("a")], "a", IndexChange.Add),
            commits.CommitAsync([Set("b")], "b", IndexChange.Add),
            commits.CommitAsync([Set("old")], "old", IndexChange.Remove),
            commits.CommitAsync([Set("a2")], "a", IndexChange.Remove),
        };
        store.Release();
        await Task.WhenAll([first, .. writes]).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["a", "b", "old", "a2", IndexKey], store.Transactions[1]);
        Assert.Equal(["b"], store.LastIndex ?? []);
    }

    private static GroupCommit NewCommits(IStateStore store) =>
        new(() => store, index => Set(IndexKey, JsonSerializer.SerializeToUtf8Bytes(index.Order(StringComparer.Ordinal))));

    private static StateSetOperation Set(string key, byte[]? value = null) => new(key, value ?? [], null, Concurrency.LastWrite, null);

    /// <summary>Records each transaction's keys; the first one waits for <see cref="Release"/> (and fails when told to).</summary>
    private sealed class GatedStore : IStateStore
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool FailFirst { get; init; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string[]> Transactions { get; } = [];

        public string[]? LastIndex { get; private set; }

        public IReadOnlyList<string> Features => [];

        public void Release() => _released.TrySetResult();

        public async Task ExecuteTransactionAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
        {
            var first = Transactions.Count == 0;
            Transactions.Add([.. operations.Select(o => o.Key)]);
            if (first)
            {
                Started.TrySetResult();
                await _released.Task;
                if (FailFirst)
                {
                    throw new IOException("simulated state store outage");
                }
            }

            if (operations.LastOrDefault(o => o.Key == IndexKey) is StateSetOperation index)
            {
                LastIndex = JsonSerializer.Deserialize<string[]>(index.Value);
            }
        }

        public Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string> SetAsync(StateSetOperation operation, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(StateDeleteOperation operation, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

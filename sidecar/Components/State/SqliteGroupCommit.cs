using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Sidecar.Components.State;

/// <summary>
/// Group commit for one SQLite database. Writes that arrive while a commit is under way queue up; the next writer to
/// get the lock applies every queued write in one IMMEDIATE transaction and commits once, so a burst shares one fsync
/// (under <c>synchronous=FULL</c>) instead of paying one each. Each write runs in its own savepoint, so a write that
/// fails its own checks (an ETag mismatch) is rolled back alone and only its caller sees the error. A write's task
/// completes after the commit that holds it: every write is durable before its call returns, as with a commit per write.
/// An error of SQLite itself (disk full, busy past the timeout) fails the whole batch: nothing of it is committed.
/// </summary>
internal sealed class SqliteGroupCommit(
    Func<CancellationToken, Task<SqliteConnection>> open,
    Func<SqliteConnection, SqliteTransaction, int, Task> beforeCommit) : IDisposable
{
    /// <summary>At most this many writes share a transaction, so one commit never holds the lock for long.</summary>
    public const int MaxBatch = 256;

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ConcurrentQueue<PendingWrite> _queue = new();

    /// <summary>Applies <paramref name="write"/> inside the next batch and returns once that batch is committed.</summary>
    public async Task RunAsync(Func<SqliteConnection, SqliteTransaction, Task> write, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(write, cancellationToken);
        _queue.Enqueue(pending);
        // Not cancellable: whoever queued a write takes the lock once, so no queued write is ever left behind; a
        // cancelled write is skipped by the batch that finds it.
        await _lock.WaitAsync(CancellationToken.None);
        try
        {
            if (!pending.Done.Task.IsCompleted)
            {
                await CommitBatchAsync();
            }
        }
        finally
        {
            _lock.Release();
        }

        await pending.Done.Task;
    }

    public void Dispose() => _lock.Dispose();

    private async Task CommitBatchAsync()
    {
        var batch = new List<PendingWrite>();
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        var failures = new Exception?[batch.Count];
        try
        {
            await using var connection = await open(CancellationToken.None);
            // IMMEDIATE: take the write lock before reading the ETags, so no other process writes between check and write.
            await using var transaction = connection.BeginTransaction(deferred: false);
            for (var i = 0; i < batch.Count; i++)
            {
                failures[i] = await ApplyAsync(transaction, batch[i]);
            }

            await beforeCommit(connection, transaction, batch.Count);
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            _ = failures[i] switch
            {
                null => batch[i].Done.TrySetResult(),
                OperationCanceledException canceled => batch[i].Done.TrySetCanceled(canceled.CancellationToken),
                var failure => batch[i].Done.TrySetException(failure),
            };
        }
    }

    /// <summary>One write in its savepoint: its own failure is returned (and undone); SQLite's own errors fail the batch.</summary>
    private static async Task<Exception?> ApplyAsync(SqliteTransaction transaction, PendingWrite pending)
    {
        if (pending.CancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException(pending.CancellationToken);
        }

        const string Savepoint = "write";
        transaction.Save(Savepoint);
        try
        {
            await pending.Write(transaction.Connection!, transaction);
        }
        catch (Exception e) when (e is not SqliteException)
        {
            transaction.Rollback(Savepoint);
            transaction.Release(Savepoint);
            return e;
        }

        transaction.Release(Savepoint);
        return null;
    }

    private sealed record PendingWrite(Func<SqliteConnection, SqliteTransaction, Task> Write, CancellationToken CancellationToken)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

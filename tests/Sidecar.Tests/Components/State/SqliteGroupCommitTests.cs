using System.Text;
using Microsoft.Data.Sqlite;
using Sidecar.Components.State;

namespace Sidecar.Tests.Components.State;

/// <summary>Group commit: writes that queue up behind a commit share the next one, and each keeps its own outcome.</summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("group-commit-").FullName;

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "state.db")}";

    [Fact]
    public async Task WritesQueuedBehindACommit_ShareTheNextCommit_AndAreAllCommitted()
    {
        await using (var setup = new SqliteConnection(ConnectionString))
        {
            await setup.OpenAsync();
            await using var create = setup.CreateCommand();
            create.CommandText = "CREATE TABLE t (k TEXT PRIMARY KEY)";
            await create.ExecuteNonQueryAsync();
        }

        var commits = 0;
        using var group = new SqliteGroupCommit(OpenAsync, (_, _, _) =>
        {
            commits++;
            return Task.CompletedTask;
        });
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = group.RunAsync(async (connection, transaction) =>
        {
            inside.SetResult();
            await gate.Task;
            await InsertAsync(connection, transaction, "first");
        }, default);
        await inside.Task;

        // These queue while the first batch is open; the next writer to take the lock commits them all at once.
        var queued = Enumerable.Range(0, 99)
            .Select(i => group.RunAsync((connection, transaction) => InsertAsync(connection, transaction, $"k{i}"), default)).ToList();
        gate.SetResult();
        await Task.WhenAll([first, .. queued]);

        Assert.Equal(2, commits);
        await using var check = await OpenAsync(default);
        await using var count = check.CreateCommand();
        count.CommandText = "SELECT count(*) FROM t";
        Assert.Equal(100L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task AWriteThatFailsItsChecks_FailsAlone_AndTheOthersOfItsBurstAreStored()
    {
        var store = new SqliteStateStore(ConnectionString, "state", TimeProvider.System);
        var tasks = Enumerable.Range(0, 50)
            .Select(i => store.SetAsync(Set($"k{i}", $"v{i}", Concurrency.LastWrite), default))
            .Concat(Enumerable.Range(0, 20).Select(_ => store.SetAsync(Set("contested", "x", Concurrency.FirstWrite), default)))
            .ToList();
        // Queued after the plain writes, so k0 exists by then and the transaction's first-write on it fails.
        var transaction = store.ExecuteTransactionAsync([Set("tx-1", "a", Concurrency.LastWrite), Set("k0", "again", Concurrency.FirstWrite)], default);

        var outcomes = await Task.WhenAll(tasks.Select(async t =>
        {
            try
            {
                await t;
                return "ok";
            }
            catch (StateETagMismatchException)
            {
                return "mismatch";
            }
        }));
        await Assert.ThrowsAsync<StateETagMismatchException>(() => transaction);
        store.Dispose();

        // A new store on the same file sees what was committed: every plain write, one contested write, no part of the transaction.
        using var reopened = new SqliteStateStore(ConnectionString, "state", TimeProvider.System);
        Assert.Equal(51, outcomes.Count(o => o == "ok"));
        Assert.Equal(19, outcomes.Count(o => o == "mismatch"));
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal($"v{i}", Encoding.UTF8.GetString((await reopened.GetAsync($"k{i}", default))!.Value));
        }

        Assert.NotNull(await reopened.GetAsync("contested", default));
        Assert.Null(await reopened.GetAsync("tx-1", default));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static StateSetOperation Set(string key, string value, Concurrency concurrency) =>
        new(key, Encoding.UTF8.GetBytes(value), null, concurrency, null);

    private static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, string key)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO t (k) VALUES ($k)";
        insert.Parameters.AddWithValue("$k", key);
        await insert.ExecuteNonQueryAsync();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}

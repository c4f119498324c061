using Microsoft.Data.Sqlite;

namespace Sidecar.Components.Locks;

/// <summary>
/// The embedded locks: table <c>locks</c> of the run's SQLite file, one row per store (component name) and key with
/// its owner and expiry (Unix milliseconds). Every operation is one immediate transaction, so the sidecars of other
/// <c>dapr-local</c> processes on the same data directory see the same locks, as apps sharing one Redis do. Expired
/// rows count as absent and are dropped as locks are taken.
/// </summary>
internal sealed class SqliteLockTable(string databaseFile)
{
    private readonly SqliteFile _file = new(SqliteFile.Pooled(databaseFile), ConnectionPragmas, Schema);

    /// <summary>Inserts the lock unless a live one holds <paramref name="key"/>; true when inserted.</summary>
    public async Task<bool> TryInsertAsync(string store, string key, string owner, long expiresAt, long now, CancellationToken cancellationToken)
    {
        await using var connection = await _file.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(connection, transaction, "DELETE FROM locks WHERE expires_at <= $now", cancellationToken, ("$now", now));
        var inserted = await ExecuteAsync(connection, transaction,
            "INSERT INTO locks (store, key, owner, expires_at) VALUES ($store, $key, $owner, $expires) ON CONFLICT (store, key) DO NOTHING",
            cancellationToken, ("$store", store), ("$key", key), ("$owner", owner), ("$expires", expiresAt));
        await transaction.CommitAsync(cancellationToken);
        return inserted == 1;
    }

    /// <summary>Deletes the live lock of <paramref name="key"/> if <paramref name="owner"/> holds it, and says what was found.</summary>
    public async Task<UnlockStatus> DeleteAsync(string store, string key, string owner, long now, CancellationToken cancellationToken)
    {
        await using var connection = await _file.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT owner FROM locks WHERE store = $store AND key = $key AND expires_at > $now";
        read.Parameters.AddWithValue("$store", store);
        read.Parameters.AddWithValue("$key", key);
        read.Parameters.AddWithValue("$now", now);
        var holder = await read.ExecuteScalarAsync(cancellationToken) as string;
        var status = holder is null ? UnlockStatus.LockDoesNotExist
            : holder == owner ? UnlockStatus.Success
            : UnlockStatus.LockBelongsToOthers;
        if (status == UnlockStatus.Success)
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM locks WHERE store = $store AND key = $key", cancellationToken,
                ("$store", store), ("$key", key));
        }

        await transaction.CommitAsync(cancellationToken);
        return status;
    }

    private static async Task<int> ExecuteAsync(
        SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Per connection; the schema and WAL mode belong to the file, so they are set at the first open.
    private const string ConnectionPragmas = "PRAGMA busy_timeout=10000;";

    private const string Schema = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS locks (
                store TEXT NOT NULL, key TEXT NOT NULL, owner TEXT NOT NULL, expires_at INTEGER NOT NULL,
                PRIMARY KEY (store, key));
            CREATE INDEX IF NOT EXISTS locks_expires_at ON locks (expires_at);
        """;
}

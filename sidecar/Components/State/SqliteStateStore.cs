using Microsoft.Data.Sqlite;

namespace Sidecar.Components.State;

/// <summary>
/// <c>state.sqlite</c>: one table (key, value, etag, expiry) in a WAL-mode database (or as <see cref="SqliteStoreOptions"/>
/// say). Writers are serialized in-process and wait on other processes through <c>busy_timeout</c>; concurrent writes
/// share a commit (<see cref="SqliteGroupCommit"/>), and every write is committed with <c>synchronous=FULL</c> before its
/// call returns. A transaction is applied all or nothing. Expired rows go every so many writes and, with
/// <c>cleanupInterval</c>, on that schedule.
/// </summary>
internal sealed class SqliteStateStore : IStateStore, IStateKeyScan, IDisposable
{
    private const int SweepEveryWrites = 1024;

    private readonly string _connectionString;
    private readonly string _table;
    private readonly TimeProvider _time;
    private readonly SqliteGroupCommit _writer;
    private readonly SqliteStoreOptions _options;
    private readonly string _connectionPragmas;
    private readonly SqliteFile _file;
    private readonly SqliteConnection? _keepAlive;
    private readonly ITimer? _cleanup;
    private int _writesSinceSweep;

    public SqliteStateStore(string connectionString, string table, TimeProvider time, SqliteStoreOptions? options = null)
    {
        if (table.Length == 0 || !table.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"tableName '{table}' must be letters, digits and underscores", nameof(table));
        }

        _connectionString = connectionString;
        _table = table;
        _time = time;
        _writer = new SqliteGroupCommit(OpenAsync, SweepExpiredNowAndThenAsync);
        _options = options ?? new SqliteStoreOptions();
        _connectionPragmas = string.Concat(
            [$"PRAGMA busy_timeout={(long)_options.BusyTimeout.TotalMilliseconds}; ",
             _options.ReadOnly ? "" : "PRAGMA synchronous=FULL; ",
             .. _options.Pragmas.Select(p => $"PRAGMA {p.Name}={p.Value}; ")]);
        _file = new SqliteFile(connectionString, _connectionPragmas);
        if (_options.InMemory)
        {
            _keepAlive = new SqliteConnection(connectionString);
            _keepAlive.Open();
        }

        Initialize();
        if (_options.CleanupInterval > TimeSpan.Zero && !_options.ReadOnly)
        {
            _cleanup = time.CreateTimer(_ => _ = CleanupAsync(), null, _options.CleanupInterval, _options.CleanupInterval);
        }
    }

    public IReadOnlyList<string> Features => StateFeatures.BuiltIn;

    public async Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, key, cancellationToken);
    }

    public async Task<string> SetAsync(StateSetOperation operation, CancellationToken cancellationToken)
    {
        string? etag = null;
        await WriteAsync(async (connection, transaction) => etag = await ApplyAsync(connection, transaction, operation, cancellationToken), cancellationToken);
        return etag!;
    }

    public Task DeleteAsync(StateDeleteOperation operation, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) => await ApplyAsync(connection, transaction, operation, cancellationToken), cancellationToken);

    public Task ExecuteTransactionAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            // Each check sees the earlier operations' effects; any failure rolls the whole transaction back.
            foreach (var operation in operations)
            {
                await ApplyAsync(connection, transaction, operation, cancellationToken);
            }
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> KeysWithPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT key FROM "{_table}"
            WHERE substr(key, 1, length($prefix)) = $prefix AND (expires_at IS NULL OR expires_at > $now)
            """;
        command.Parameters.AddWithValue("$prefix", prefix);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public void Dispose()
    {
        _cleanup?.Dispose();
        _writer.Dispose();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _keepAlive?.Dispose();
    }

    /// <summary>The <c>cleanupInterval</c> sweep; a failure waits for the next one (writes sweep too).</summary>
    private async Task CleanupAsync()
    {
        try
        {
            await WriteAsync(async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"""DELETE FROM "{_table}" WHERE expires_at IS NOT NULL AND expires_at <= $now""";
                command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }, CancellationToken.None);
        }
        catch (Exception ex) when (ex is SqliteException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private void Initialize()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        if (_options.ReadOnly)
        {
            // A read-only database must already hold the table; nothing may be written to it.
            command.CommandText = _connectionPragmas;
            command.ExecuteNonQuery();
            return;
        }

        command.CommandText = $"""
            {_connectionPragmas}
            PRAGMA journal_mode={_options.JournalMode};
            CREATE TABLE IF NOT EXISTS "{_table}" (
                key TEXT NOT NULL PRIMARY KEY,
                value BLOB NOT NULL,
                etag TEXT NOT NULL,
                expires_at INTEGER NULL,
                content_type TEXT NULL);
            DELETE FROM "{_table}" WHERE expires_at IS NOT NULL AND expires_at <= $now;
            """;
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    // The settings belong to the SQLite connection, which the pool keeps open between uses: SqliteFile sets them once
    // per connection, not at every open (two statements prepared and run before every read showed in profiles).
    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => _file.OpenAsync(cancellationToken);

    private Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> write, CancellationToken cancellationToken) =>
        _writer.RunAsync(write, cancellationToken);

    /// <summary>Rows that expire unread would stay forever; every so many writes (in the batch's transaction), drop them.</summary>
    private async Task SweepExpiredNowAndThenAsync(SqliteConnection connection, SqliteTransaction transaction, int writes)
    {
        _writesSinceSweep += writes;
        if (_writesSinceSweep < SweepEveryWrites)
        {
            return;
        }

        _writesSinceSweep = 0;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""DELETE FROM "{_table}" WHERE expires_at IS NOT NULL AND expires_at <= $now""";
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task<string?> ApplyAsync(
        SqliteConnection connection, SqliteTransaction transaction, StateOperation operation, CancellationToken cancellationToken)
    {
        var current = await ReadAsync(connection, transaction, operation.Key, cancellationToken);
        ETagRules.Check(operation, current?.ETag);

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$key", operation.Key);
        if (operation is not StateSetOperation set)
        {
            command.CommandText = $"""DELETE FROM "{_table}" WHERE key = $key""";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return null;
        }

        var etag = ETagRules.NewETag();
        command.CommandText = $"""
            INSERT INTO "{_table}" (key, value, etag, expires_at, content_type) VALUES ($key, $value, $etag, $expires, $type)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, etag = excluded.etag,
                expires_at = excluded.expires_at, content_type = excluded.content_type
            """;
        command.Parameters.AddWithValue("$value", set.Value);
        command.Parameters.AddWithValue("$etag", etag);
        command.Parameters.AddWithValue("$expires", (object?)set.ExpiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$type", (object?)set.ContentType ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return etag;
    }

    private async Task<StateEntry?> ReadAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT value, etag, expires_at, content_type FROM "{_table}"
            WHERE key = $key AND (expires_at IS NULL OR expires_at > $now)
            """;
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var value = (byte[])reader.GetValue(0);
        DateTimeOffset? expiresAt = reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
        return new StateEntry(key, value, reader.GetString(1), expiresAt, reader.IsDBNull(3) ? null : reader.GetString(3));
    }
}

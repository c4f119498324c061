using Microsoft.Data.Sqlite;

namespace Sidecar.Components.Configuration;

/// <summary>
/// The embedded configuration items: table <c>configuration_items</c> of the run's SQLite file, one row per store
/// (component name) and key. Each write takes the next number of a sequence shared by all rows, so readers find what
/// changed since they last looked; a deleted key stays as a row without value until overwritten, so it is seen too.
/// </summary>
internal sealed class SqliteConfigurationTable(string databaseFile)
{
    private readonly SqliteFile _file = new(SqliteFile.Pooled(databaseFile), ConnectionPragmas, Schema);

    /// <summary>A row: a null <paramref name="Value"/> is a deleted key.</summary>
    public sealed record Row(string Key, string? Value, string Version, long Sequence);

    /// <summary>Sets <paramref name="key"/> of <paramref name="store"/> (null <paramref name="value"/>: deletes it).</summary>
    public async Task SetAsync(string store, string key, string? value, string version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO configuration_items (store, key, value, version, seq)
            VALUES ($store, $key, $value, $version, (SELECT COALESCE(MAX(seq), 0) + 1 FROM configuration_items))
            ON CONFLICT (store, key) DO UPDATE SET value = excluded.value, version = excluded.version, seq = excluded.seq
            """;
        command.Parameters.AddWithValue("$store", store);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", (object?)value ?? DBNull.Value);
        command.Parameters.AddWithValue("$version", version);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The live rows of <paramref name="store"/> among <paramref name="keys"/> (every live row when empty).</summary>
    public async Task<IReadOnlyList<Row>> ReadAsync(string store, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(store, "value IS NOT NULL", null, cancellationToken);
        return keys.Count == 0 ? rows : rows.Where(r => keys.Contains(r.Key, StringComparer.Ordinal)).ToList();
    }

    /// <summary>The rows of <paramref name="store"/> written after <paramref name="sequence"/>, deleted keys included, oldest first.</summary>
    public Task<IReadOnlyList<Row>> ChangedSinceAsync(string store, long sequence, CancellationToken cancellationToken) =>
        QueryAsync(store, "seq > $since", sequence, cancellationToken);

    /// <summary>The newest sequence number written (0 for an empty table).</summary>
    public async Task<long> LastSequenceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM configuration_items";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<IReadOnlyList<Row>> QueryAsync(string store, string condition, long? since, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT key, value, version, seq FROM configuration_items WHERE store = $store AND {condition} ORDER BY seq";
        command.Parameters.AddWithValue("$store", store);
        if (since is { } value)
        {
            command.Parameters.AddWithValue("$since", value);
        }

        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Row(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return rows;
    }

    // Per connection; the schema and WAL mode belong to the file, so they are set once, not at every open (the
    // embedded configuration store polls every 250 ms). SqliteFile applies both.
    private const string ConnectionPragmas = "PRAGMA busy_timeout=10000;";

    private const string Schema = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS configuration_items (
                store TEXT NOT NULL, key TEXT NOT NULL, value TEXT NULL, version TEXT NOT NULL, seq INTEGER NOT NULL,
                PRIMARY KEY (store, key));
        """;

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => _file.OpenAsync(cancellationToken);
}

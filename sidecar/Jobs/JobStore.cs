using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Sidecar.Components;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Jobs;

/// <summary>
/// The jobs of the run in table <c>jobs</c> of the run's SQLite state file (<c>&lt;data dir&gt;/state.db</c>, beside
/// the embedded state store's table), keyed by app id and name, so they outlive a sidecar restart. A sidecar claims a
/// due job with a lease before delivering it, so two instances of one app id (two runs on one data directory) deliver
/// each trigger once between them, and a sidecar that died mid-delivery leaves it to be claimed again when the lease ends.
/// </summary>
internal sealed class JobStore(string databaseFile)
{
    private readonly SqliteFile _file = new(SqliteFile.Pooled(databaseFile), ConnectionPragmas, Schema);

    /// <summary>False until something created the state file: until then there is no job to look for (and no file is made).</summary>
    public bool Exists => File.Exists(databaseFile);

    /// <summary>Stores a job; false (and nothing changed) when it exists and <paramref name="overwrite"/> is false.</summary>
    public async Task<bool> AddAsync(string appId, Proto.Job job, DateTimeOffset created, DateTimeOffset due, bool overwrite, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(databaseFile)!);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO jobs (app_id, name, job, created, due, count, attempts, generation, lease)
            VALUES ($app, $name, $job, $created, $due, 0, 0, $generation, 0)
            ON CONFLICT (app_id, name) DO {(overwrite
                ? "UPDATE SET job = excluded.job, created = excluded.created, due = excluded.due, count = 0, attempts = 0, generation = excluded.generation, lease = 0"
                : "NOTHING")}
            """;
        command.Parameters.AddWithValue("$app", appId);
        command.Parameters.AddWithValue("$name", job.Name);
        command.Parameters.AddWithValue("$job", job.ToByteArray());
        command.Parameters.AddWithValue("$created", created.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$due", due.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$generation", Guid.NewGuid().ToString("N"));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The job <paramref name="name"/> of <paramref name="appId"/>, or null.</summary>
    public async Task<Proto.Job?> GetAsync(string appId, string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT job FROM jobs WHERE app_id = $app AND name = $name";
        command.Parameters.AddWithValue("$app", appId);
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken) is byte[] bytes ? Proto.Job.Parser.ParseFrom(bytes) : null;
    }

    /// <summary>Deletes a job; deleting one that does not exist is no error, as in the scheduler.</summary>
    public async Task DeleteAsync(string appId, string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM jobs WHERE app_id = $app AND name = $name";
        command.Parameters.AddWithValue("$app", appId);
        command.Parameters.AddWithValue("$name", name);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The jobs of <paramref name="appId"/> as scheduled, by name in byte order (the scheduler lists its keys so).</summary>
    public async Task<IReadOnlyList<Proto.Job>> ListAsync(string appId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT job FROM jobs WHERE app_id = $app ORDER BY name";
        command.Parameters.AddWithValue("$app", appId);
        var jobs = new List<Proto.Job>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(Proto.Job.Parser.ParseFrom((byte[])reader[0]));
        }

        return jobs;
    }

    /// <summary>Deletes every job of <paramref name="appId"/> whose name starts with <paramref name="prefix"/> (all of them for "").</summary>
    public async Task DeleteByPrefixAsync(string appId, string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // substr, not LIKE: a name's own % and _ are characters here, not patterns.
        command.CommandText = "DELETE FROM jobs WHERE app_id = $app AND substr(name, 1, length($prefix)) = $prefix";
        command.Parameters.AddWithValue("$app", appId);
        command.Parameters.AddWithValue("$prefix", prefix);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Claims up to <paramref name="limit"/> jobs due at <paramref name="now"/> that no one holds, for <paramref name="lease"/>.</summary>
    public async Task<IReadOnlyList<JobRecord>> ClaimDueAsync(string appId, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var claimed = new List<JobRecord>();
        await using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = """
                SELECT job, created, due, count, attempts, generation FROM jobs
                WHERE app_id = $app AND due <= $now AND lease <= $now ORDER BY due LIMIT $limit
                """;
            select.Parameters.AddWithValue("$app", appId);
            select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            select.Parameters.AddWithValue("$limit", limit);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new JobRecord(
                    Proto.Job.Parser.ParseFrom((byte[])reader[0]), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), (uint)reader.GetInt64(3), (uint)reader.GetInt64(4), reader.GetString(5)));
            }
        }

        foreach (var record in claimed)
        {
            await using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE jobs SET lease = $lease WHERE app_id = $app AND name = $name AND generation = $generation";
            update.Parameters.AddWithValue("$lease", (now + lease).ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("$app", appId);
            update.Parameters.AddWithValue("$name", record.Job.Name);
            update.Parameters.AddWithValue("$generation", record.Generation);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    /// <summary>
    /// Moves a claimed job on: to <paramref name="due"/> with <paramref name="count"/> and <paramref name="attempts"/>,
    /// or deletes it when <paramref name="due"/> is null; nothing happens if it was re-scheduled or deleted meanwhile.
    /// </summary>
    public async Task ReleaseAsync(string appId, JobRecord record, DateTimeOffset? due, uint count, uint attempts, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = due is null
            ? "DELETE FROM jobs WHERE app_id = $app AND name = $name AND generation = $generation"
            : "UPDATE jobs SET due = $due, count = $count, attempts = $attempts, lease = 0 WHERE app_id = $app AND name = $name AND generation = $generation";
        command.Parameters.AddWithValue("$app", appId);
        command.Parameters.AddWithValue("$name", record.Job.Name);
        command.Parameters.AddWithValue("$generation", record.Generation);
        command.Parameters.AddWithValue("$due", due?.ToUnixTimeMilliseconds() ?? 0);
        command.Parameters.AddWithValue("$count", count);
        command.Parameters.AddWithValue("$attempts", attempts);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>When the next job of <paramref name="appId"/> is due or its lease ends, or null when it has none.</summary>
    public async Task<DateTimeOffset?> NextWakeAsync(string appId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(MAX(due, lease)) FROM jobs WHERE app_id = $app";
        command.Parameters.AddWithValue("$app", appId);
        return await command.ExecuteScalarAsync(cancellationToken) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    // Per connection; the schema and WAL mode belong to the file, so they are set once, not at every open (every
    // schedule, trigger and wake-up opens one). SqliteFile applies both.
    private const string ConnectionPragmas = "PRAGMA busy_timeout=10000; PRAGMA synchronous=FULL;";

    private const string Schema = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS jobs (
                app_id TEXT NOT NULL, name TEXT NOT NULL, job BLOB NOT NULL, created INTEGER NOT NULL, due INTEGER NOT NULL,
                count INTEGER NOT NULL, attempts INTEGER NOT NULL, generation TEXT NOT NULL, lease INTEGER NOT NULL,
                PRIMARY KEY (app_id, name));
        """;

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => _file.OpenAsync(cancellationToken);
}

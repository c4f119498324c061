using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Sidecar.NameResolution;

/// <summary>
/// The registry sidecars of different processes share: one table in a SQLite file (WAL, so lookups never wait for a
/// heartbeat). Each sidecar keeps its row alive with heartbeats; a row older than
/// <see cref="NameResolutionSettings.UpdateInterval"/> belongs to a sidecar that died and is no longer returned, and old
/// rows are swept when a sidecar registers. One instance per file and process (shared through the
/// <see cref="Hosting.SidecarNetwork"/>), which also knows the sidecars of this process.
/// </summary>
internal sealed class SqliteNameRegistry : IDisposable
{
    // Our own table: a real daprd's nameresolution.sqlite table ("hosts") in the same file holds addresses of its
    // internal gRPC port, which this sidecar does not speak.
    private const string Table = "dapr_local_hosts";

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, IServiceProvider> _local = new(StringComparer.Ordinal);

    public SqliteNameRegistry(NameResolutionSettings settings, TimeProvider time)
    {
        Settings = settings;
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = settings.DatabaseFile,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a busy database until the command timeout: contrib's 'timeout'.
            DefaultTimeout = (int)Math.Ceiling(settings.Timeout.TotalSeconds),
        }.ToString();
        Initialize();
    }

    public NameResolutionSettings Settings { get; }

    /// <summary>Adds or replaces (same address: a dead sidecar's port taken over) the row of <paramref name="instance"/>.</summary>
    public async Task RegisterAsync(AppInstance instance, CancellationToken cancellationToken)
    {
        var now = Now();
        await ExecuteAsync($"""
            DELETE FROM {Table} WHERE last_update < $stale;
            REPLACE INTO {Table} (registration_id, app_id, host, http_port, grpc_port, app_port, pid, internal_token, last_update)
            VALUES ($id, $app, $host, $http, $grpc, $appPort, $pid, $token, $now);
            """,
            cancellationToken,
            ("$stale", now - (long)(Settings.UpdateInterval * 10).TotalMilliseconds), ("$id", instance.RegistrationId),
            ("$app", instance.AppId), ("$host", instance.Host), ("$http", instance.HttpPort), ("$grpc", instance.GrpcPort),
            ("$appPort", instance.AppPort), ("$pid", instance.ProcessId), ("$token", instance.InternalToken), ("$now", now));
    }

    /// <summary>A heartbeat; false when the row is gone (swept or taken over), so the caller registers again.</summary>
    public async Task<bool> RenewAsync(string registrationId, CancellationToken cancellationToken) =>
        await ExecuteAsync($"UPDATE {Table} SET last_update = $now WHERE registration_id = $id", cancellationToken,
            ("$now", Now()), ("$id", registrationId)) > 0;

    /// <summary>Removes a stopping sidecar's row, so no caller picks it any more.</summary>
    public Task UnregisterAsync(string registrationId, CancellationToken cancellationToken) =>
        ExecuteAsync($"DELETE FROM {Table} WHERE registration_id = $id", cancellationToken, ("$id", registrationId));

    /// <summary>The instances of <paramref name="appId"/> whose last heartbeat is recent enough, in registration order.</summary>
    public async Task<IReadOnlyList<AppInstance>> LiveAsync(string appId, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT registration_id, app_id, host, http_port, grpc_port, app_port, pid, internal_token, last_update
            FROM {Table} WHERE app_id = $app AND last_update > $since ORDER BY registration_id
            """;
        command.Parameters.AddWithValue("$app", appId);
        command.Parameters.AddWithValue("$since", Now() - (long)Settings.UpdateInterval.TotalMilliseconds);
        var instances = new List<AppInstance>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            instances.Add(new AppInstance(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5), reader.GetInt32(6), reader.GetString(7), reader.GetInt64(8)));
        }

        return instances;
    }

    /// <summary>Marks <paramref name="registrationId"/> as a sidecar of this process, reachable without the network.</summary>
    public void AddLocal(string registrationId, IServiceProvider services) => _local[registrationId] = services;

    public void RemoveLocal(string registrationId) => _local.TryRemove(registrationId, out _);

    /// <summary>The services of a sidecar of this process, or null when the instance lives elsewhere.</summary>
    public IServiceProvider? LocalServices(string registrationId) => _local.GetValueOrDefault(registrationId);

    public long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Dispose()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private void Initialize()
    {
        var directory = Path.GetDirectoryName(Settings.DatabaseFile)!;
        Directory.CreateDirectory(directory);
        var created = !File.Exists(Settings.DatabaseFile);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS {Table} (
                registration_id TEXT NOT NULL PRIMARY KEY,
                app_id TEXT NOT NULL,
                host TEXT NOT NULL,
                http_port INTEGER NOT NULL,
                grpc_port INTEGER NOT NULL,
                app_port INTEGER NULL,
                pid INTEGER NOT NULL,
                internal_token TEXT NOT NULL,
                last_update INTEGER NOT NULL);
            CREATE UNIQUE INDEX IF NOT EXISTS {Table}_address ON {Table} (host, http_port);
            CREATE INDEX IF NOT EXISTS {Table}_app ON {Table} (app_id, last_update);
            """;
        command.ExecuteNonQuery();
        if (created && !OperatingSystem.IsWindows())
        {
            // The rows hold the tokens that let a sidecar invoke another's app: only this user may read them.
            File.SetUnixFileMode(Settings.DatabaseFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

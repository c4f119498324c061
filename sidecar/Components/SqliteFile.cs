using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Sidecar.Components;

/// <summary>
/// Opens pooled connections to one SQLite database for one store (state, jobs, configuration), with the two kinds of
/// settings it needs: those of a connection (<c>busy_timeout</c>, <c>synchronous</c>), set once per pooled connection
/// because the pool keeps the SQLite connection open between uses, and those of the file (WAL mode, the store's
/// tables), run at the first open only.
/// </summary>
internal sealed class SqliteFile(string connectionString, string connectionPragmas, string fileSetup = "")
{
    private static readonly object Marker = new();

    /// <summary>The pooled SQLite connections this store has set up; an entry goes with its connection.</summary>
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();
    private volatile bool _fileReady = fileSetup.Length == 0;

    /// <summary>The connection string of <paramref name="databaseFile"/> with pooling, as the run's own files use.</summary>
    public static string Pooled(string databaseFile) =>
        new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = true }.ToString();

    public string ConnectionString => connectionString;

    /// <summary>An open connection with this store's settings in force.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var handle = connection.Handle!;
            var connectionReady = _configured.TryGetValue(handle, out _);
            if (!connectionReady || !_fileReady)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = (connectionReady ? "" : connectionPragmas) + (_fileReady ? "" : fileSetup);
                await command.ExecuteNonQueryAsync(cancellationToken);
                _configured.AddOrUpdate(handle, Marker);
                _fileReady = true;
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

using Microsoft.Data.Sqlite;
using Sidecar.Hosting;

namespace Sidecar.Components.State;

/// <summary>
/// Creates <c>state.sqlite</c> stores from metadata <c>connectionString</c> or <c>databaseFile</c> (relative to the data
/// directory), and <c>tableName</c> (default <c>state</c>).
/// </summary>
internal static class SqliteStateStoreFactory
{
    public const string Type = "state.sqlite";
    public const string ConnectionString = "connectionString";
    public const string DatabaseFile = "databaseFile";
    public const string TableName = "tableName";

    public static SqliteStateStore Create(ComponentContext context)
    {
        var definition = context.Definition;
        var options = context.Services.GetRequiredService<SidecarOptions>();
        var connectionString = definition.Get(ConnectionString);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var file = definition.Get(DatabaseFile)
                ?? throw new ResourceLoadException($"{definition.Location}: component '{definition.Name}' (state.sqlite) needs metadata 'connectionString' or 'databaseFile'");
            var path = Path.GetFullPath(Path.Combine(options.DataDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        }

        return new SqliteStateStore(connectionString, definition.Get(TableName) ?? "state", context.Services.GetRequiredService<TimeProvider>());
    }
}

using Microsoft.Data.Sqlite;
using Sidecar.Hosting;

namespace Sidecar.Components.State;

/// <summary>
/// Creates <c>state.sqlite</c> stores from their metadata as <see cref="SqliteStateSettings"/> reads it.
/// <c>databaseFile</c> (a path in the data directory) is this sidecar's own, used by <c>--embedded</c>.
/// </summary>
internal static class SqliteStateStoreFactory
{
    public const string Type = "state.sqlite";
    public const string DatabaseFile = "databaseFile";

    public static SqliteStateStore Create(ComponentContext context)
    {
        var options = context.Services.GetRequiredService<SidecarOptions>();
        var (connectionString, table, storeOptions) = SqliteStateSettings.Read(
            context.Definition, options.DataDirectory, options.WorkingDirectory ?? Directory.GetCurrentDirectory());
        try
        {
            return new SqliteStateStore(connectionString, table, context.Services.GetRequiredService<TimeProvider>(), storeOptions);
        }
        catch (SqliteException ex)
        {
            throw new ResourceLoadException(
                $"{context.Definition.Location}: component '{context.Definition.Name}' (state.sqlite) cannot open its database: {ex.Message}");
        }
    }
}

using Sidecar.Components;
using Sidecar.Components.Configuration;

namespace Sidecar.Cli;

/// <summary>
/// <c>dapr-local configuration set|delete</c>: writes an item of the embedded configuration store (what
/// <c>--embedded</c> serves <c>configuration.*</c> components with) into the run's state file; running sidecars see the
/// change within a poll and deliver it to subscribers, as a <c>SET</c> on Redis would.
/// </summary>
internal static class ConfigurationCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, string workingDirectory)
    {
        var positional = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var (verb, expected) = positional.FirstOrDefault() switch
        {
            "set" => ("set", 4),
            "delete" => ("delete", 3),
            _ => throw new UsageException("configuration needs 'set <store> <key> <value>' or 'delete <store> <key>'"),
        };
        if (positional.Count != expected)
        {
            throw new UsageException(verb == "set"
                ? "configuration set needs <store> <key> <value>"
                : "configuration delete needs <store> <key>");
        }

        var version = "";
        var dataDirectory = Path.GetFullPath(".dapr", workingDirectory);
        var reader = new ArgumentReader(args.Skip(expected).ToList());
        while (reader.Next())
        {
            switch (reader.Flag)
            {
                case "--version" when verb == "set": version = reader.Value(); break;
                case "--data-dir": dataDirectory = Path.GetFullPath(reader.Value(), workingDirectory); break;
                default: throw reader.Unknown();
            }
        }

        var file = EmbeddedComponents.StateDatabaseFile(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        try
        {
            await new SqliteConfigurationTable(file).SetAsync(
                positional[1], positional[2], verb == "set" ? positional[3] : null, version, CancellationToken.None);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            await Console.Error.WriteLineAsync($"dapr-local: {file}: {ex.Message}");
            return 1;
        }

        await Console.Out.WriteLineAsync($"{positional[1]}: {positional[2]} {(verb == "set" ? "set" : "deleted")} in {file}");
        return 0;
    }
}

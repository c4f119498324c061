using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Sidecar.Components.State;

/// <summary>
/// Reads <c>state.sqlite</c> metadata as components-contrib does (<c>state/sqlite/sqlite_metadata.go</c>,
/// <c>common/authentication/sqlite/metadata.go</c>): <c>connectionString</c> (alias <c>url</c>) in Dapr's documented
/// forms (<c>data.db</c>, <c>file:data.db?mode=ro</c>, <c>file::memory:</c>, <c>:memory:</c>; a relative path is taken
/// from the app's folder, where daprd runs), <c>tableName</c>, <c>metadataTableName</c>, <c>timeout</c> (alias
/// <c>timeoutInSeconds</c>, default 20s, at least 1s), <c>busyTimeout</c> (default 2s), <c>disableWAL</c> and
/// <c>cleanupInterval</c> (alias <c>cleanupIntervalInSeconds</c>, default off). Durations are Go durations (<c>10s</c>,
/// <c>1m</c>) or whole seconds. Connection string options: <c>mode</c>, <c>immutable</c>, <c>cache</c>,
/// <c>_txlock</c> (writes always lock at once, as <c>immediate</c>) and <c>_pragma=name(value)</c>, except the three
/// components-contrib refuses. Two local extensions: <c>databaseFile</c> (a path in the data directory) and an
/// ADO.NET string starting <c>Data Source=</c>. Anything else wrong fails the start naming file, component and value.
/// </summary>
internal static partial class SqliteStateSettings
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(2);
    private static readonly string[] ForbiddenPragmas = ["busy_timeout", "journal_mode", "foreign_keys"];

    /// <summary>The connection string, table and options for <paramref name="definition"/>.</summary>
    public static (string ConnectionString, string Table, SqliteStoreOptions Options) Read(
        ComponentDefinition definition, string dataDirectory, string workingDirectory)
    {
        ResourceLoadException Fail(string why) => new($"{definition.Location}: component '{definition.Name}' (state.sqlite): {why}");

        var table = Get(definition, "tableName") ?? "state";
        foreach (var (name, value) in new[] { ("tableName", table), ("metadataTableName", Get(definition, "metadataTableName") ?? "metadata") })
        {
            if (!IsIdentifier(value))
            {
                throw Fail($"invalid identifier in '{name}': '{value}' (letters, digits and underscores only)");
            }
        }

        var timeout = Duration(definition, Fail, DefaultTimeout, "timeout", "timeoutInSeconds");
        if (timeout < TimeSpan.FromSeconds(1))
        {
            throw Fail("invalid value for 'timeout': must be greater than 1s");
        }

        var options = new SqliteStoreOptions
        {
            BusyTimeout = Duration(definition, Fail, DefaultBusyTimeout, "busyTimeout"),
            CleanupInterval = Duration(definition, Fail, TimeSpan.Zero, "cleanupInterval", "cleanupIntervalInSeconds"),
            JournalMode = IsTruthy(Get(definition, "disableWAL")) ? "DELETE" : "WAL",
        };
        var commandTimeout = (int)Math.Ceiling(timeout.TotalSeconds);

        var connectionString = Get(definition, "connectionString") ?? Get(definition, "url");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var file = Get(definition, "databaseFile") ?? throw Fail("missing connection string (metadata 'connectionString', e.g. data.db)");
            var path = Path.GetFullPath(Path.Combine(dataDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return (new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = commandTimeout }.ToString(), table, options);
        }

        if (connectionString.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase))
        {
            return (connectionString, table, options);
        }

        var (uriConnectionString, uriOptions) = FromUri(connectionString, workingDirectory, commandTimeout, options, Fail);
        return (uriConnectionString, table, uriOptions);
    }

    private static (string, SqliteStoreOptions) FromUri(
        string connectionString, string workingDirectory, int commandTimeout, SqliteStoreOptions options, Func<string, ResourceLoadException> fail)
    {
        var lower = connectionString.ToLowerInvariant();
        var inMemory = lower.StartsWith(":memory:", StringComparison.Ordinal) || lower.StartsWith("file::memory:", StringComparison.Ordinal);
        var text = lower.StartsWith("file:", StringComparison.Ordinal) ? connectionString["file:".Length..] : connectionString;
        var question = text.IndexOf('?', StringComparison.Ordinal);
        var path = question >= 0 ? text[..question] : text;
        var builder = new SqliteConnectionStringBuilder { Pooling = true, DefaultTimeout = commandTimeout };
        var pragmas = new List<(string, string)>();
        var readOnly = false;

        foreach (var (key, value) in Query(question >= 0 ? text[(question + 1)..] : ""))
        {
            switch (key)
            {
                case "mode":
                    builder.Mode = value switch
                    {
                        "ro" => SqliteOpenMode.ReadOnly,
                        "rw" => SqliteOpenMode.ReadWrite,
                        "rwc" => SqliteOpenMode.ReadWriteCreate,
                        "memory" => SqliteOpenMode.Memory,
                        _ => throw fail($"unsupported 'mode={value}' in the connection string (ro, rw, rwc or memory)"),
                    };
                    readOnly |= value == "ro";
                    inMemory |= value == "memory";
                    break;
                case "immutable":
                    readOnly |= value == "1";
                    break;
                case "cache":
                    builder.Cache = value == "private" ? SqliteCacheMode.Private : SqliteCacheMode.Shared;
                    break;
                case "_txlock":
                    // Every write here starts with BEGIN IMMEDIATE, components-contrib's recommended value.
                    break;
                case "_pragma":
                    pragmas.Add(Pragma(value, fail));
                    break;
                default:
                    throw fail($"unsupported option '{key}' in the connection string (mode, immutable, cache, _txlock, _pragma)");
            }
        }

        if (inMemory)
        {
            // components-contrib shares one in-memory database per daprd process; here several sidecars share a process,
            // so each component gets its own.
            builder.DataSource = $"dapr-local-{Guid.NewGuid():N}";
            builder.Mode = SqliteOpenMode.Memory;
            builder.Cache = SqliteCacheMode.Shared;
            return (builder.ToString(), options with { InMemory = true, JournalMode = "MEMORY", Pragmas = pragmas });
        }

        if (path.Length == 0)
        {
            throw fail("the connection string names no database file");
        }

        builder.DataSource = Path.GetFullPath(Uri.UnescapeDataString(path), workingDirectory);
        if (readOnly)
        {
            builder.Mode = SqliteOpenMode.ReadOnly;
        }

        return (builder.ToString(), options with { ReadOnly = readOnly, JournalMode = readOnly ? "DELETE" : options.JournalMode, Pragmas = pragmas });
    }

    private static IEnumerable<(string Key, string Value)> Query(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals >= 0 ? part[..equals] : part);
            var value = equals >= 0 ? Uri.UnescapeDataString(part[(equals + 1)..].Replace('+', ' ')) : "";
            return (key, value);
        });

    private static (string, string) Pragma(string value, Func<string, ResourceLoadException> fail)
    {
        var match = PragmaPattern().Match(value);
        if (!match.Success)
        {
            throw fail($"'_pragma={value}' is not of the form name(value)");
        }

        var name = match.Groups[1].Value.ToLowerInvariant();
        if (ForbiddenPragmas.Contains(name))
        {
            var instead = name switch { "busy_timeout" => "; use metadata 'busyTimeout'", "journal_mode" => "; use metadata 'disableWAL'", _ => "" };
            throw fail($"found forbidden option '_pragma={name}' in the connection string{instead}");
        }

        return (name, match.Groups[2].Value);
    }

    private static TimeSpan Duration(ComponentDefinition definition, Func<string, ResourceLoadException> fail, TimeSpan fallback, params string[] names)
    {
        foreach (var name in names)
        {
            if (Get(definition, name) is { Length: > 0 } text)
            {
                return GoDuration(text) ?? throw fail($"'{name}' must be a duration such as 10s or 1m, or whole seconds; got '{text}'");
            }
        }

        return fallback;
    }

    /// <summary>A Go duration (<c>1h30m</c>, <c>500ms</c>, <c>1.5s</c>) or a whole number of seconds, as dapr/kit's metadata decoder reads it.</summary>
    private static TimeSpan? GoDuration(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = UnitPattern().Match(part.Value);
            var number = double.Parse(unit.Groups[1].Value, CultureInfo.InvariantCulture);
            total += unit.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                "ms" => TimeSpan.FromMilliseconds(number),
                "us" or "µs" => TimeSpan.FromMicroseconds(number),
                _ => TimeSpan.FromTicks((long)(number / 100)),
            };
        }

        return match.Groups["sign"].Value == "-" ? -total : total;
    }

    private static string? Get(ComponentDefinition definition, string name) =>
        definition.Metadata.FirstOrDefault(m => string.Equals(m.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static bool IsTruthy(string? value) => value?.Trim().ToLowerInvariant() is "1" or "true" or "t" or "y" or "yes" or "on";

    private static bool IsIdentifier(string value) => value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    [GeneratedRegex(@"^([A-Za-z_]+)\(([A-Za-z0-9_\-]*)\)$")]
    private static partial Regex PragmaPattern();

    [GeneratedRegex(@"^(?<sign>[-+]?)(?<part>[0-9]*\.?[0-9]+(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)$")]
    private static partial Regex UnitPattern();
}

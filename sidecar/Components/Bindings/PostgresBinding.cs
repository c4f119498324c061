using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Sidecar.AppChannel.Resources;

namespace Sidecar.Components.Bindings;

/// <summary>
/// <c>bindings.postgresql</c> (output) on <c>connectionString</c> (pgx's syntax, see
/// <see cref="PostgresConnectionString"/>): <c>exec</c> runs metadata <c>sql</c> and reports <c>rows-affected</c>,
/// <c>query</c> answers the rows (see <see cref="PostgresRows"/>), <c>close</c> closes the pool for good; <c>params</c>
/// is a JSON array for <c>$1</c>, <c>$2</c>... Every answer carries <c>operation</c>, <c>sql</c>, <c>start-time</c>,
/// <c>end-time</c> and <c>duration</c>. The database must answer at start (within <c>timeout</c>, default 20s).
/// </summary>
// dapr/components-contrib bindings/postgres/postgres.go
internal sealed class PostgresBinding : IOutputBinding, IAsyncDisposable
{
    public const string Type = "bindings.postgresql";
    public const string AliasType = "bindings.postgres";

    private NpgsqlDataSource? _dataSource;
    private int _closed;

    private PostgresBinding(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    public IReadOnlyList<string> Operations { get; } = ["exec", "query", "close"];

    public static PostgresBinding Create(ComponentContext context)
    {
        var definition = context.Definition;
        var connectionString = BindingMetadata.Get(definition, "connectionString")
            ?? throw new InvalidOperationException("missing connection string");
        var timeout = BindingMetadata.Get(definition, "timeout") is { } text
            ? (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : GoDuration.Parse(text, "timeout"))
            : BindingMetadata.Get(definition, "timeoutInSeconds") is { } legacy && int.TryParse(legacy, CultureInfo.InvariantCulture, out var legacySeconds)
                ? TimeSpan.FromSeconds(legacySeconds)
                : TimeSpan.FromSeconds(20);
        if (timeout < TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException("invalid value for 'timeout': must be greater than 1s");
        }

        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = PostgresConnectionString.Parse(connectionString);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            // Never the connection string itself in the message: it may hold the password.
            throw new InvalidOperationException($"cannot parse connectionString: {ex.Message}", ex);
        }

        settings.Timeout = Math.Max(settings.Timeout, 1);
        var dataSource = NpgsqlDataSource.Create(settings);
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            using var connection = dataSource.OpenConnectionAsync(cancel.Token).AsTask().GetAwaiter().GetResult();
            using var ping = new NpgsqlCommand("SELECT 1", connection);
            ping.ExecuteScalar();
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            dataSource.Dispose();
            throw new InvalidOperationException($"unable to connect to the DB ({settings.Host}:{settings.Port}): {OneLine(ex)}", ex);
        }

        return new PostgresBinding(dataSource);
    }

    public async Task<BindingResponse?> InvokeAsync(BindingRequest request, CancellationToken cancellationToken)
    {
        if (request.Operation == "close")
        {
            await DisposeAsync();
            return null;
        }

        if (Volatile.Read(ref _closed) == 1 || _dataSource is not { } dataSource)
        {
            throw new BindingException("component is closed");
        }

        var sql = request.Get("sql") ?? throw new BindingException("required metadata not set: sql");
        var parameters = Parameters(request.Get("params"));
        var start = DateTimeOffset.UtcNow;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["operation"] = request.Operation,
            ["sql"] = sql,
            ["start-time"] = PostgresRows.Rfc3339NanoOf(start),
        };
        byte[] data = [];
        try
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.AddRange(parameters);
            switch (request.Operation)
            {
                case "exec":
                    var affected = await command.ExecuteNonQueryAsync(cancellationToken);
                    metadata["rows-affected"] = Math.Max(affected, 0).ToString(CultureInfo.InvariantCulture);
                    break;
                case "query":
                    await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                    {
                        data = await PostgresRows.ReadAsync(reader, cancellationToken);
                    }

                    break;
                default:
                    throw new BindingException($"invalid operation type: {request.Operation}. Expected exec, query, or close");
            }
        }
        catch (NpgsqlException ex)
        {
            throw new BindingException($"error executing query: {PgxMessage(ex)}", inner: ex);
        }

        var end = DateTimeOffset.UtcNow;
        metadata["end-time"] = PostgresRows.Rfc3339NanoOf(end);
        metadata["duration"] = PostgresRows.GoDurationString(end - start);
        return new BindingResponse(data, metadata);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0 && Interlocked.Exchange(ref _dataSource, null) is { } dataSource)
        {
            await dataSource.DisposeAsync();
        }
    }

    /// <summary>
    /// The <c>params</c> JSON array as untyped text parameters: PostgreSQL infers each type from the statement, as it
    /// does for the values pgx encodes (a JSON number fits an integer column, a string a date column).
    /// </summary>
    private static NpgsqlParameter[] Parameters(string? json)
    {
        if (json is null)
        {
            return [];
        }

        JsonElement[] values;
        try
        {
            values = JsonSerializer.Deserialize<JsonElement[]>(json) ?? [];
        }
        catch (JsonException ex)
        {
            throw new BindingException($"invalid metadata property params: failed to unserialize into an array: {ex.Message}", inner: ex);
        }

        return [.. values.Select(v => v.ValueKind switch
        {
            JsonValueKind.Null => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Unknown, Value = DBNull.Value },
            JsonValueKind.String => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Unknown, Value = v.GetString()! },
            _ => new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Unknown, Value = v.GetRawText() },
        })];
    }

    /// <summary>An error as pgx words it: <c>ERROR: relation "x" does not exist (SQLSTATE 42P01)</c>.</summary>
    private static string PgxMessage(NpgsqlException ex) => ex is PostgresException pg
        ? $"{pg.Severity}: {pg.MessageText} (SQLSTATE {pg.SqlState})"
        : OneLine(ex);

    private static string OneLine(Exception ex) => ex.Message.ReplaceLineEndings(" ");
}

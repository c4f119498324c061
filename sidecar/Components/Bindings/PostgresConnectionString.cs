using System.Text;
using Npgsql;

namespace Sidecar.Components.Bindings;

/// <summary>
/// Turns a <c>connectionString</c> as pgx reads it (libpq's <c>key=value</c> pairs, single-quoted values allowed, or a
/// <c>postgres://user:password@host:port/db?key=value</c> URL) into Npgsql's settings. Keys pgx does not know as
/// connection settings become server settings, as pgx sends them (<c>search_path</c>...). Missing host and user
/// default as libpq's do: <c>localhost</c> and the OS user.
/// </summary>
// jackc/pgx/v5 pgconn.ParseConfig
internal static class PostgresConnectionString
{
    public static NpgsqlConnectionStringBuilder Parse(string text)
    {
        var pairs = text.TrimStart().StartsWith("postgres://", StringComparison.Ordinal) || text.TrimStart().StartsWith("postgresql://", StringComparison.Ordinal)
            ? FromUrl(text.Trim())
            : FromKeywords(text);
        var builder = new NpgsqlConnectionStringBuilder { Host = "localhost", Username = Environment.UserName };
        var serverSettings = new List<string>();
        foreach (var (key, value) in pairs)
        {
            switch (key)
            {
                case "host": builder.Host = value; break;
                case "port": builder.Port = int.TryParse(value, out var port) ? port : throw new FormatException($"invalid port: {value}"); break;
                case "user": builder.Username = value; break;
                case "password": builder.Password = value; break;
                case "dbname" or "database": builder.Database = value; break;
                case "connect_timeout": builder.Timeout = int.TryParse(value, out var seconds) ? seconds : throw new FormatException($"invalid connect_timeout: {value}"); break;
                case "application_name": builder.ApplicationName = value; break;
                case "sslmode": builder.SslMode = SslMode(value); break;
                case "pool_max_conns": builder.MaxPoolSize = int.TryParse(value, out var max) ? max : throw new FormatException($"invalid pool_max_conns: {value}"); break;
                case "pool_min_conns": builder.MinPoolSize = int.TryParse(value, out var min) ? min : throw new FormatException($"invalid pool_min_conns: {value}"); break;
                case "sslcert" or "sslkey" or "sslrootcert" or "sslpassword":
                    throw new FormatException($"'{key}' is not served by the local sidecar's bindings.postgresql");
                case var other when other.StartsWith("pool_", StringComparison.Ordinal):
                    break; // pgxpool's other tuning (lifetimes, health checks): Npgsql's pool manages those itself
                default:
                    serverSettings.Add($"-c {key}={value}");
                    break;
            }
        }

        if (serverSettings.Count > 0)
        {
            builder.Options = string.Join(' ', serverSettings);
        }

        return builder;
    }

    private static Npgsql.SslMode SslMode(string value) => value switch
    {
        "disable" => Npgsql.SslMode.Disable,
        "allow" => Npgsql.SslMode.Allow,
        "prefer" => Npgsql.SslMode.Prefer,
        "require" => Npgsql.SslMode.Require,
        "verify-ca" => Npgsql.SslMode.VerifyCA,
        "verify-full" => Npgsql.SslMode.VerifyFull,
        _ => throw new FormatException($"sslmode is invalid: {value}"),
    };

    private static List<(string Key, string Value)> FromUrl(string text)
    {
        var uri = new Uri(text);
        var pairs = new List<(string, string)>();
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            pairs.Add(("user", Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon])));
            if (colon >= 0)
            {
                pairs.Add(("password", Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..])));
            }
        }

        if (uri.Host.Length > 0)
        {
            pairs.Add(("host", uri.Host));
        }

        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            pairs.Add(("port", uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (uri.AbsolutePath.Trim('/') is { Length: > 0 } database)
        {
            pairs.Add(("dbname", Uri.UnescapeDataString(database)));
        }

        foreach (var parameter in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? parameter : parameter[..equals]);
            pairs.Add((key, equals < 0 ? "" : Uri.UnescapeDataString(parameter[(equals + 1)..].Replace('+', ' '))));
        }

        return pairs;
    }

    /// <summary>libpq's <c>key = value</c> list: whitespace-separated, values optionally in single quotes with backslash escapes.</summary>
    private static List<(string Key, string Value)> FromKeywords(string text)
    {
        var pairs = new List<(string, string)>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                return pairs;
            }

            var keyStart = i;
            while (i < text.Length && text[i] != '=' && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var key = text[keyStart..i];
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length || text[i] != '=')
            {
                throw new FormatException($"invalid dsn: missing '=' after '{key}'");
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var value = new StringBuilder();
            if (i < text.Length && text[i] == '\'')
            {
                i++;
                while (i < text.Length && text[i] != '\'')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i++]);
                }

                if (i >= text.Length)
                {
                    throw new FormatException("invalid dsn: unterminated quoted string in connection info string");
                }

                i++;
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i++]);
                }
            }

            pairs.Add((key, value.ToString()));
        }
    }
}

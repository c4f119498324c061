using System.Globalization;
using StackExchange.Redis;

namespace Sidecar.Components.Redis;

/// <summary>
/// The connection metadata every Redis component of components-contrib shares (<c>redisHost</c>, <c>redisUsername</c>,
/// <c>redisPassword</c>, <c>redisDB</c>, <c>enableTLS</c>), read once, checked with the file and line of the component.
/// </summary>
internal sealed record RedisSettings(string Host, string? Username, string? Password, int Database, bool EnableTls)
{
    public const string HostKey = "redisHost";
    public const string UsernameKey = "redisUsername";
    public const string PasswordKey = "redisPassword";
    public const string DatabaseKey = "redisDB";
    public const string EnableTlsKey = "enableTLS";

    /// <summary>Reads and checks the connection metadata of <paramref name="definition"/>.</summary>
    public static RedisSettings From(ComponentDefinition definition)
    {
        var host = definition.Get(HostKey);
        if (string.IsNullOrWhiteSpace(host))
        {
            throw Invalid(definition, $"needs metadata '{HostKey}' (host:port, e.g. localhost:6379)");
        }

        var database = 0;
        var db = definition.Get(DatabaseKey);
        if (!string.IsNullOrEmpty(db) && (!int.TryParse(db, NumberStyles.None, CultureInfo.InvariantCulture, out database) || database > 15))
        {
            throw Invalid(definition, $"metadata '{DatabaseKey}' must be a database number from 0 to 15, not '{db}'");
        }

        var tls = definition.Get(EnableTlsKey);
        if (!string.IsNullOrEmpty(tls) && !bool.TryParse(tls, out _))
        {
            throw Invalid(definition, $"metadata '{EnableTlsKey}' must be true or false, not '{tls}'");
        }

        return new RedisSettings(
            host.Trim(), NullIfEmpty(definition.Get(UsernameKey)), NullIfEmpty(definition.Get(PasswordKey)), database,
            definition.IsTrue(EnableTlsKey));
    }

    /// <summary>StackExchange.Redis options; connection failures are reported, not retried silently at startup.</summary>
    public ConfigurationOptions ToOptions()
    {
        var options = new ConfigurationOptions
        {
            User = Username,
            Password = Password,
            DefaultDatabase = Database,
            Ssl = EnableTls,
            AbortOnConnectFail = true,
            ConnectTimeout = 5000,
            ClientName = "dapr-local",
        };
        options.EndPoints.Add(Host);
        return options;
    }

    /// <summary>What identifies a connection that components can share (the password is part of it, never printed).</summary>
    public string ShareKey => $"redis:{Host}|{Username}|{Password}|{Database}|{EnableTls}";

    /// <summary>Never prints the password: records print their members, and this one is logged in errors.</summary>
    public override string ToString() => $"{Host} (db {Database}{(EnableTls ? ", TLS" : "")})";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static ResourceLoadException Invalid(ComponentDefinition definition, string message) =>
        new($"{definition.Location}: component '{definition.Name}' ({definition.Type}) {message}");
}

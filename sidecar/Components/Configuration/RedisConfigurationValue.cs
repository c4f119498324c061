namespace Sidecar.Components.Configuration;

/// <summary>
/// How <c>configuration.redis</c> lays items out, as components-contrib's <c>configuration/redis/internal</c>: a string
/// key per item holding <c>value||version</c>, and changes announced on keyspace channel <c>__keyspace@{db}__:{key}</c>.
/// </summary>
internal static class RedisConfigurationValue
{
    private const string Separator = "||";

    /// <summary>Splits a stored string into value and version (no separator: no version; more: the first two parts).</summary>
    public static (string Value, string Version) Parse(string stored)
    {
        var parts = stored.Split(Separator);
        return parts.Length == 1 ? (parts[0], "") : (parts[0], parts[1]);
    }

    /// <summary>The keyspace channel on which Redis announces changes of <paramref name="key"/> in database <paramref name="database"/>.</summary>
    public static string Channel(string key, int database) => $"__keyspace@{database}__:{key}";

    /// <summary>The key a keyspace channel is about, or null when the channel is of another database.</summary>
    public static string? KeyOf(string channel, int database)
    {
        var prefix = Channel("", database);
        return channel.StartsWith(prefix, StringComparison.Ordinal) ? channel[prefix.Length..] : null;
    }
}

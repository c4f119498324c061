using System.Globalization;
using Sidecar.Components.Redis;
using StackExchange.Redis;

namespace Sidecar.Components.State.Redis;

/// <summary>
/// Creates <c>state.redis</c> stores: the shared connection metadata (<see cref="RedisSettings"/>), <c>ttlInSeconds</c>
/// (the TTL of writes that ask for none) and <c>actorStateStore</c>. <c>queryIndexes</c> needs RediSearch and the query
/// API, which the local sidecar does not serve, so it fails the start rather than being ignored.
/// </summary>
internal static partial class RedisStateStoreFactory
{
    public const string TtlInSeconds = "ttlInSeconds";
    public const string QueryIndexes = "queryIndexes";

    public static RedisStateStore Create(ComponentContext context)
    {
        var definition = context.Definition;
        if (!string.IsNullOrWhiteSpace(definition.Get(QueryIndexes)))
        {
            throw Invalid(definition, $"metadata '{QueryIndexes}' is not supported by the local sidecar (it has no state query API); remove it");
        }

        var defaultTtl = DefaultTtl(definition);
        var settings = RedisSettings.From(definition);
        var connection = RedisConnections.Connect(context, settings);
        if (definition.IsTrue(StateMetadata.ActorStateStore))
        {
            LogNoRollback(context.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RedisStateStore)), definition.Name);
        }

        var database = connection.GetDatabase(settings.Database);
        return new RedisStateStore(database, defaultTtl, HasJson(database), context.Services.GetRequiredService<TimeProvider>());
    }

    /// <summary>As components-contrib probes it: JSON.GET answers anything but "unknown command" when RedisJSON is loaded.</summary>
    private static bool HasJson(IDatabase database)
    {
        try
        {
            database.Execute("JSON.GET");
            return true;
        }
        catch (RedisServerException ex)
        {
            return !ex.Message.StartsWith("ERR unknown command", StringComparison.Ordinal);
        }
    }

    private static long? DefaultTtl(ComponentDefinition definition)
    {
        var text = definition.Get(TtlInSeconds);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw Invalid(definition, $"metadata '{TtlInSeconds}' must be a whole number of seconds, not '{text}'");
    }

    private static ResourceLoadException Invalid(ComponentDefinition definition, string message) =>
        new($"{definition.Location}: component '{definition.Name}' ({definition.Type}) {message}");

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Name} (state.redis) is the actor state store: Redis does not roll transactions back, so a failed workflow or actor write can be half applied")]
    private static partial void LogNoRollback(ILogger logger, string name);
}

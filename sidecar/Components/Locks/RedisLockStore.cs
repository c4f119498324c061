using Sidecar.Components.Redis;
using StackExchange.Redis;

namespace Sidecar.Components.Locks;

/// <summary>
/// <c>lock.redis</c> as components-contrib serves it (lock/redis/standalone.go): a lock is a string key holding its
/// owner, set with <c>SET NX</c> and the expiry; unlock runs one script that reads the key and deletes it only for its
/// owner, answering -1 for a missing key (LOCK_DOES_NOT_EXIST) and -2 for another owner (LOCK_BELONGS_TO_OTHERS).
/// Uses the run's shared connection. Redis Cluster is refused, as contrib refuses it.
/// </summary>
internal sealed class RedisLockStore(IDatabase database) : ILockStore
{
    public const string Type = "lock.redis";

    // The same logic as contrib's unlockScript: one round trip, so the owner check and the delete are atomic.
    private const string UnlockScript =
        "local v = redis.call('get', KEYS[1]); if v == false then return -1 end; " +
        "if v ~= ARGV[1] then return -2 else return redis.call('del', KEYS[1]) end";

    /// <summary>Creates the store over the shared connection of the component's Redis.</summary>
    public static RedisLockStore Create(ComponentContext context)
    {
        var settings = RedisSettings.From(context.Definition);
        if (string.Equals(context.Definition.Get("redisType"), "cluster", StringComparison.OrdinalIgnoreCase))
        {
            throw new ResourceLoadException(
                $"{context.Definition.Location}: component '{context.Definition.Name}' ({Type}) cannot use redisType 'cluster': distributed locks need a single Redis, as in components-contrib");
        }

        var connection = RedisConnections.Connect(context, settings);
        return new RedisLockStore(connection.GetDatabase(settings.Database));
    }

    public async Task<bool> TryLockAsync(string key, string owner, int expiryInSeconds, CancellationToken cancellationToken)
    {
        try
        {
            return await database.StringSetAsync(key, owner, TimeSpan.FromSeconds(expiryInSeconds), When.NotExists);
        }
        catch (RedisException ex)
        {
            throw new LockStoreException(ex.Message, ex);
        }
    }

    public async Task<UnlockStatus> UnlockAsync(string key, string owner, CancellationToken cancellationToken)
    {
        RedisResult result;
        try
        {
            result = await database.ScriptEvaluateAsync(UnlockScript, [key], [owner]);
        }
        catch (RedisException ex)
        {
            throw new LockStoreException(ex.Message, ex);
        }

        return (long)result switch
        {
            >= 0 => UnlockStatus.Success,
            -1 => UnlockStatus.LockDoesNotExist,
            -2 => UnlockStatus.LockBelongsToOthers,
            _ => UnlockStatus.InternalError,
        };
    }
}

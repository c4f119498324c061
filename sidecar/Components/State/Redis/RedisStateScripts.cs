namespace Sidecar.Components.State.Redis;

/// <summary>
/// The Lua scripts that give <c>state.redis</c> the data layout and rules of components-contrib's Redis store, so daprd
/// and this sidecar can share one Redis: an item is a hash with fields <c>data</c> and <c>version</c> (the ETag, raised
/// by one on every write) and, once written with first-write concurrency outside a transaction, <c>first-write</c>.
/// </summary>
internal static class RedisStateScripts
{
    /// <summary>
    /// KEYS[1] the item; ARGV[1] the expected version, <c>"0"</c> when none was given; ARGV[2] the data; ARGV[3]
    /// <c>"0"</c> to mark the item first-write (absent in transactions, as daprd sends it). Returns the new version.
    /// A key of another type is replaced; a missing item is written whatever version was expected (so a stale ETag
    /// recreates a deleted item); without an expected version, an item marked first-write is refused.
    /// </summary>
    public const string Set = """
        local version = redis.pcall('HGET', KEYS[1], 'version')
        if type(version) == 'table' then
          redis.call('DEL', KEYS[1])
          version = false
        end
        local allowed = (not version) or version == '' or version == ARGV[1]
        if not allowed and ARGV[1] == '0' then
          allowed = redis.call('HEXISTS', KEYS[1], 'first-write') == 0
        end
        if not allowed then
          return redis.error_reply('failed to set key ' .. KEYS[1])
        end
        redis.call('HSET', KEYS[1], 'data', ARGV[2])
        if ARGV[3] == '0' then
          redis.call('HSET', KEYS[1], 'first-write', 0)
        end
        return redis.call('HINCRBY', KEYS[1], 'version', 1)
        """;

    /// <summary>
    /// KEYS[1] the item; ARGV[1] the expected version, <c>"0"</c> when none was given. Deleting a missing item, an item
    /// without a version or with the expected one succeeds; only a different version is refused.
    /// </summary>
    public const string Delete = """
        local version = redis.pcall('HGET', KEYS[1], 'version')
        if type(version) == 'table' or (not version) or version == '' or ARGV[1] == '0' or version == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return redis.error_reply('failed to delete ' .. KEYS[1])
        """;

    /// <summary>ARGV[1] the message: an operation that fails inside MULTI/EXEC without stopping the others.</summary>
    public const string Fail = "return redis.error_reply(ARGV[1])";

    /// <summary>KEYS[1] the item. Returns the hash's fields and values and the key's remaining time to live in milliseconds.</summary>
    public const string Get = """
        local fields = redis.call('HGETALL', KEYS[1])
        return { fields, redis.call('PTTL', KEYS[1]) }
        """;
}

using System.Globalization;
using StackExchange.Redis;

namespace Sidecar.Components.State.Redis;

/// <summary>
/// <c>state.redis</c> with the layout and rules of components-contrib's Redis store (see <see cref="RedisStateScripts"/>).
/// TTL is Redis's own: <c>EXPIRE</c> after a write that asks for a positive TTL (per request, else the component's
/// <c>ttlInSeconds</c>), <c>PERSIST</c> for zero or less, and nothing otherwise (an overwritten key keeps its TTL).
/// A transaction is one script per operation inside MULTI/EXEC: Redis runs every operation and rolls none back, so
/// when one fails the others stay applied and the call fails.
/// </summary>
internal sealed class RedisStateStore(IDatabase database, long? defaultTtlSeconds, bool serverHasJson, TimeProvider time)
    : IStateStore, IStateKeyScan
{
    public const string Type = "state.redis";
    private const string NoVersion = "0";
    private static readonly RedisValue MarkFirstWrite = "0";
    private static readonly RedisValue NotFirstWrite = "1";
    private const string JsonContentType = "application/json";

    public IReadOnlyList<string> Features => StateFeatures.BuiltIn;

    public async Task<StateEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var result = await database.ScriptEvaluateAsync(RedisStateScripts.Get, [key]);
        var parts = (RedisResult[])result!;
        var fields = (RedisResult[])parts[0]!;
        if (fields.Length == 0)
        {
            return null;
        }

        RedisValue? data = null;
        string? version = null;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            switch ((string?)fields[i])
            {
                case "data": data = (RedisValue)fields[i + 1]; break;
                case "version": version = (string?)fields[i + 1]; break;
            }
        }

        if (data is null || version is null)
        {
            throw new RedisStateException($"required hash field 'data' or 'version' was not found in key {key}");
        }

        var ttlMilliseconds = (long)parts[1];
        DateTimeOffset? expiresAt = ttlMilliseconds > 0 ? time.GetUtcNow().AddMilliseconds(ttlMilliseconds) : null;
        return new StateEntry(key, (byte[])data.Value!, version, expiresAt);
    }

    public async Task<string> SetAsync(StateSetOperation operation, CancellationToken cancellationToken)
    {
        var expected = ExpectedVersion(operation);
        var firstWrite = operation.Concurrency == Concurrency.FirstWrite ? MarkFirstWrite : NotFirstWrite;
        RedisResult version;
        try
        {
            version = await database.ScriptEvaluateAsync(RedisStateScripts.Set, [operation.Key], [expected, operation.Value, firstWrite]);
        }
        catch (RedisServerException ex)
        {
            // As components-contrib: with an ETag the failure is an ETag mismatch, without one a plain failure.
            throw operation.ETag is null ? new RedisStateException($"failed to set key {operation.Key}: {ex.Message}", ex) : new StateETagMismatchException(operation.Key);
        }

        await ApplyTtlAsync(database, operation);
        return ((long)version).ToString(CultureInfo.InvariantCulture);
    }

    public async Task DeleteAsync(StateDeleteOperation operation, CancellationToken cancellationToken)
    {
        try
        {
            await database.ScriptEvaluateAsync(RedisStateScripts.Delete, [operation.Key], [operation.ETag ?? NoVersion]);
        }
        catch (RedisServerException)
        {
            throw new StateETagMismatchException(operation.Key);
        }
    }

    public async Task ExecuteTransactionAsync(IReadOnlyList<StateOperation> operations, CancellationToken cancellationToken)
    {
        var transaction = database.CreateTransaction();
        var replies = new List<Task>();
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case StateSetOperation { ContentType: JsonContentType } set:
                    replies.Add(transaction.ScriptEvaluateAsync(RedisStateScripts.Fail, values: [JsonInTransaction(set.Key)]));
                    break;
                case StateSetOperation set:
                    // No first-write argument: daprd's transactions never mark an item first-write.
                    replies.Add(transaction.ScriptEvaluateAsync(RedisStateScripts.Set, [set.Key], [ExpectedVersion(set), set.Value]));
                    if (Ttl(set) is { } ttl)
                    {
                        replies.Add(ttl > 0 ? transaction.KeyExpireAsync(set.Key, TimeSpan.FromSeconds(ttl)) : transaction.KeyPersistAsync(set.Key));
                    }

                    break;
                case StateDeleteOperation delete:
                    replies.Add(transaction.ScriptEvaluateAsync(RedisStateScripts.Delete, [delete.Key], [delete.ETag ?? NoVersion]));
                    break;
            }
        }

        await transaction.ExecuteAsync();
        Exception? first = null;
        foreach (var reply in replies)
        {
            try
            {
                await reply;
            }
            catch (RedisException ex)
            {
                first ??= ex;
            }
        }

        if (first is not null)
        {
            throw new RedisStateException(first.Message, first);
        }
    }

    public async Task<IReadOnlyList<string>> KeysWithPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        // SCAN, never KEYS: it does not block a server that daprd and other apps share.
        var pattern = EscapeGlob(prefix) + "*";
        var keys = new List<string>();
        var cursor = "0";
        do
        {
            var reply = (RedisResult[])(await database.ExecuteAsync("SCAN", cursor, "MATCH", pattern, "COUNT", 1000))!;
            cursor = (string)reply[0]!;
            keys.AddRange(((RedisResult[])reply[1]!).Select(k => (string)k!));
        }
        while (cursor != "0");

        return keys;
    }

    private static string EscapeGlob(string text) =>
        string.Concat(text.Select(c => c is '*' or '?' or '[' or ']' or '\\' ? "\\" + c : c.ToString()));

    /// <summary>
    /// components-contrib writes a transaction's upsert whose metadata says <c>contentType: application/json</c> with
    /// RedisJSON's JSON.SET, whatever the server: on a server without the module (Debian's, <c>dapr init</c>'s, most)
    /// that operation fails, and so it does here. The RedisJSON layout itself is not implemented.
    /// </summary>
    private string JsonInTransaction(string key) => serverHasJson
        ? $"failed to set key {key}: contentType application/json in a transaction needs the RedisJSON layout, which the local sidecar does not implement"
        : $"failed to set key {key}: contentType application/json in a transaction makes daprd's Redis store use JSON.SET, and this server has no RedisJSON module; leave contentType out of transaction operations (an outbox projection may carry it)";

    /// <summary>The version an operation expects; a set without an ETag, or an ETag that is not a number, as daprd has it.</summary>
    private static RedisValue ExpectedVersion(StateSetOperation operation)
    {
        if (operation.ETag is null)
        {
            return NoVersion;
        }

        return long.TryParse(operation.ETag, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var version)
            ? version.ToString(CultureInfo.InvariantCulture)
            : throw new StateETagInvalidException(operation.Key, operation.ETag);
    }

    private long? Ttl(StateSetOperation operation) => operation.TtlSeconds ?? defaultTtlSeconds;

    private async Task ApplyTtlAsync(IDatabaseAsync target, StateSetOperation operation)
    {
        switch (Ttl(operation))
        {
            case > 0 and var seconds:
                await target.KeyExpireAsync(operation.Key, TimeSpan.FromSeconds(seconds));
                break;
            case <= 0:
                await target.KeyPersistAsync(operation.Key);
                break;
        }
    }
}

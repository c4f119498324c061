namespace Sidecar.Components.Locks;

/// <summary>
/// <c>--embedded</c>'s stand-in for <c>lock.redis</c>, one per component name, its locks in table <c>locks</c> of the
/// run's SQLite file (so sidecars of other processes on the same data directory share them, as on one Redis), with
/// Redis's rules and no stricter ones: a lock is taken only when absent or expired (<c>SET NX EX</c>), it lapses after
/// its expiry by the sidecar's clock, and unlock answers as contrib's script does: missing or expired →
/// LOCK_DOES_NOT_EXIST, another owner → LOCK_BELONGS_TO_OTHERS, the owner → SUCCESS and the lock is gone.
/// </summary>
internal sealed class EmbeddedLockStore(SqliteLockTable table, string componentName, TimeProvider time) : ILockStore
{
    public async Task<bool> TryLockAsync(string key, string owner, int expiryInSeconds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            return await table.TryInsertAsync(
                componentName, key, owner, now.AddSeconds(expiryInSeconds).ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw new LockStoreException(ex.Message, ex);
        }
    }

    public async Task<UnlockStatus> UnlockAsync(string key, string owner, CancellationToken cancellationToken)
    {
        try
        {
            return await table.DeleteAsync(componentName, key, owner, time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw new LockStoreException(ex.Message, ex);
        }
    }
}

namespace Sidecar.Components.Locks;

/// <summary>
/// A distributed lock store (<c>lock.*</c>), as components-contrib's <c>lock.Store</c>: try once to take a lock that
/// expires by itself, and release it only for its owner. Keys arrive already prefixed by the lock building block.
/// </summary>
public interface ILockStore
{
    /// <summary>Takes <paramref name="key"/> for <paramref name="owner"/> for <paramref name="expiryInSeconds"/> seconds; false when it is held.</summary>
    Task<bool> TryLockAsync(string key, string owner, int expiryInSeconds, CancellationToken cancellationToken);

    /// <summary>Releases <paramref name="key"/> if <paramref name="owner"/> holds it.</summary>
    Task<UnlockStatus> UnlockAsync(string key, string owner, CancellationToken cancellationToken);
}

/// <summary>The answer to an unlock, numbered as components-contrib's <c>lock.Status</c> and Dapr's <c>UnlockResponse.Status</c>.</summary>
public enum UnlockStatus
{
    Success = 0,
    LockDoesNotExist = 1,
    LockBelongsToOthers = 2,
    InternalError = 3,
}

/// <summary>A lock store could not answer (the connection failed); the building block reports it as ERR_TRY_LOCK / ERR_UNLOCK.</summary>
public sealed class LockStoreException(string message, Exception? inner = null) : Exception(message, inner);

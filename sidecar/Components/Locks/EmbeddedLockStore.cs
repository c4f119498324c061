namespace Sidecar.Components.Locks;

/// <summary>
/// <c>--embedded</c>'s stand-in for <c>lock.redis</c>, shared by every app of the run (one process), with Redis's rules
/// and no stricter ones: a lock is taken only when absent or expired (<c>SET NX EX</c>), it lapses after its expiry
/// by the sidecar's clock, and unlock answers as contrib's script does: missing or expired → LOCK_DOES_NOT_EXIST,
/// another owner → LOCK_BELONGS_TO_OTHERS, the owner → SUCCESS and the lock is gone.
/// </summary>
internal sealed class EmbeddedLockStore(TimeProvider time) : ILockStore
{
    // Past this many entries, a lock taken first drops the expired ones, as Redis would have expired them.
    private const int SweepThreshold = 1024;

    private readonly Dictionary<string, Held> _locks = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<bool> TryLockAsync(string key, string owner, int expiryInSeconds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_locks.TryGetValue(key, out var held) && held.ExpiresAt > now)
            {
                return Task.FromResult(false);
            }

            if (_locks.Count >= SweepThreshold)
            {
                foreach (var expired in _locks.Where(l => l.Value.ExpiresAt <= now).Select(l => l.Key).ToList())
                {
                    _locks.Remove(expired);
                }
            }

            _locks[key] = new Held(owner, now.AddSeconds(expiryInSeconds));
            return Task.FromResult(true);
        }
    }

    public Task<UnlockStatus> UnlockAsync(string key, string owner, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_locks.TryGetValue(key, out var held) || held.ExpiresAt <= now)
            {
                // Redis would have dropped an expired key; forget it here too.
                _locks.Remove(key);
                return Task.FromResult(UnlockStatus.LockDoesNotExist);
            }

            if (!string.Equals(held.Owner, owner, StringComparison.Ordinal))
            {
                return Task.FromResult(UnlockStatus.LockBelongsToOthers);
            }

            _locks.Remove(key);
            return Task.FromResult(UnlockStatus.Success);
        }
    }

    private sealed record Held(string Owner, DateTimeOffset ExpiresAt);
}

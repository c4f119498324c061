using Sidecar.AppChannel.Resiliency;
using Sidecar.Components;
using Sidecar.Components.Locks;
using Sidecar.Hosting;

namespace Sidecar.Locks;

/// <summary>The distributed lock building block (alpha), shared by the HTTP and gRPC surfaces.</summary>
internal interface ILockApi
{
    /// <summary>Tries once to take <paramref name="resourceId"/> for <paramref name="lockOwner"/>; false when another holds it.</summary>
    Task<bool> TryLockAsync(string store, string resourceId, string lockOwner, int expiryInSeconds, CancellationToken cancellationToken);

    /// <summary>Releases <paramref name="resourceId"/> if <paramref name="lockOwner"/> holds it, answering the store's status.</summary>
    Task<UnlockStatus> UnlockAsync(string store, string resourceId, string lockOwner, CancellationToken cancellationToken);
}

/// <summary>
/// daprd's checks in its order (a non-positive expiry first, then no lock store at all, an empty resource id, an empty
/// owner, an unknown store), the key prefix of the store's <c>keyPrefix</c> rule, the component's outbound resiliency
/// policy, and a store failure as ERR_TRY_LOCK / ERR_UNLOCK.
/// </summary>
// dapr/dapr pkg/api/universal/lock.go TryLockAlpha1, UnlockAlpha1, lockValidateRequest
internal sealed class LockApi(ILockStoreRegistry stores, IResiliencyPolicies policies, SidecarOptions options) : ILockApi
{
    public async Task<bool> TryLockAsync(
        string store, string resourceId, string lockOwner, int expiryInSeconds, CancellationToken cancellationToken)
    {
        if (expiryInSeconds <= 0)
        {
            throw LockErrors.ExpiryNotPositive(store).ToException();
        }

        var (instance, keyPrefix) = Resolve(store, resourceId, lockOwner);
        if (!keyPrefix.TryApply(resourceId, store, options.AppId, out var key, out var problem))
        {
            throw LockErrors.TryLock(problem!).ToException();
        }

        try
        {
            return await Outbound(store).RunAsync(
                token => instance.TryLockAsync(key, lockOwner, expiryInSeconds, token), _ => AttemptVerdict.Success, null, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw LockErrors.TryLock(ex.Message).ToException();
        }
    }

    public async Task<UnlockStatus> UnlockAsync(string store, string resourceId, string lockOwner, CancellationToken cancellationToken)
    {
        var (instance, keyPrefix) = Resolve(store, resourceId, lockOwner);
        if (!keyPrefix.TryApply(resourceId, store, options.AppId, out var key, out var problem))
        {
            throw LockErrors.Unlock(problem!).ToException();
        }

        try
        {
            return await Outbound(store).RunAsync(
                token => instance.UnlockAsync(key, lockOwner, token), _ => AttemptVerdict.Success, null, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw LockErrors.Unlock(ex.Message).ToException();
        }
    }

    private (ILockStore Store, LockKeyPrefix KeyPrefix) Resolve(string store, string resourceId, string lockOwner)
    {
        if (stores.LockStoreNames.Count == 0)
        {
            throw LockErrors.NotConfigured().ToException();
        }

        if (resourceId.Length == 0)
        {
            throw LockErrors.ResourceIdEmpty(store).ToException();
        }

        if (lockOwner.Length == 0)
        {
            throw LockErrors.LockOwnerEmpty(store).ToException();
        }

        return stores.TryGetLockStore(store, out var instance, out var keyPrefix)
            ? (instance, keyPrefix)
            : throw LockErrors.StoreNotFound(store).ToException();
    }

    private PolicyRunner Outbound(string store) => policies.RunnerForComponentOutbound(store, ComponentKind.Lock);
}

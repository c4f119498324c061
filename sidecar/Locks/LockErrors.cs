using System.Net;
using Grpc.Core;
using Sidecar.Errors;

namespace Sidecar.Locks;

/// <summary>The lock building block's errors, with daprd's codes, messages and statuses.</summary>
// dapr/dapr pkg/messages/predefined.go (Lock), pkg/messages/errorcodes/errorcodes.go
internal static class LockErrors
{
    public static DaprError NotConfigured() =>
        new("ERR_LOCK_STORE_NOT_CONFIGURED", "lock store is not configured", HttpStatusCode.InternalServerError, StatusCode.FailedPrecondition);

    public static DaprError ResourceIdEmpty(string store) => Malformed($"ResourceId is empty in lock store {store}");

    public static DaprError LockOwnerEmpty(string store) => Malformed($"LockOwner is empty in lock store {store}");

    public static DaprError ExpiryNotPositive(string store) => Malformed($"ExpiryInSeconds is not positive in lock store {store}");

    public static DaprError StoreNotFound(string store) =>
        new("ERR_LOCK_STORE_NOT_FOUND", $"lock store {store} not found", HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    public static DaprError TryLock(string problem) =>
        new("ERR_TRY_LOCK", $"failed to try acquiring lock: {problem}", HttpStatusCode.InternalServerError, StatusCode.Internal);

    public static DaprError Unlock(string problem) =>
        new("ERR_UNLOCK", $"failed to release lock: {problem}", HttpStatusCode.InternalServerError, StatusCode.Internal);

    /// <summary>The HTTP body could not be read as the request message (daprd's ErrMalformedRequest).</summary>
    public static DaprError MalformedBody(string problem) =>
        Malformed($"failed deserializing HTTP body: {problem}");

    private static DaprError Malformed(string message) =>
        new("ERR_MALFORMED_REQUEST", message, HttpStatusCode.BadRequest, StatusCode.InvalidArgument);
}

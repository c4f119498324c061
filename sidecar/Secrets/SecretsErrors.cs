using System.Net;
using Grpc.Core;
using Sidecar.Errors;

namespace Sidecar.Secrets;

/// <summary>The secrets building block's errors, with daprd's codes, messages and statuses (pkg/messages).</summary>
internal static class SecretsErrors
{
    public static DaprError NotConfigured() =>
        new("ERR_SECRET_STORES_NOT_CONFIGURED", "secret store is not configured", HttpStatusCode.InternalServerError, StatusCode.FailedPrecondition);

    /// <summary>daprd answers an unknown store with 401 over HTTP (and InvalidArgument over gRPC); kept as it is.</summary>
    public static DaprError StoreNotFound(string store) =>
        new("ERR_SECRET_STORE_NOT_FOUND", $"failed finding secret store with key {store}", HttpStatusCode.Unauthorized, StatusCode.InvalidArgument);

    public static DaprError PermissionDenied(string key, string store) =>
        new("ERR_PERMISSION_DENIED", $"access denied by policy to get \"{key}\" from \"{store}\"", HttpStatusCode.Forbidden, StatusCode.PermissionDenied);

    public static DaprError Get(string key, string store, Exception ex) =>
        new("ERR_SECRET_GET", $"failed getting secret with key {key} from secret store {store}: {ex.Message}", HttpStatusCode.InternalServerError, StatusCode.Internal);

    public static DaprError GetBulk(string store, Exception ex) =>
        new("ERR_SECRET_GET", $"failed getting secrets from secret store {store}: {ex.Message}", HttpStatusCode.InternalServerError, StatusCode.Internal);
}

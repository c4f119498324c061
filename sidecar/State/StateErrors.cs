using System.Net;
using Grpc.Core;
using Sidecar.Errors;

namespace Sidecar.State;

/// <summary>The state building block's errors, with daprd's codes and statuses.</summary>
internal static class StateErrors
{
    public static DaprError StoreNotFound(string name) =>
        new("ERR_STATE_STORE_NOT_FOUND", $"state store {name} is not found", HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    public static DaprError NotConfigured() =>
        new("ERR_STATE_STORE_NOT_CONFIGURED", "state store is not configured", HttpStatusCode.InternalServerError, StatusCode.FailedPrecondition);

    public static DaprError Malformed(string message) =>
        new("ERR_MALFORMED_REQUEST", message, HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    public static DaprError InvalidKey(string key) =>
        Malformed($"input key/keyPrefix '{key}' can't contain '||'");

    public static DaprError Get(string key, string store, Exception ex) =>
        new("ERR_STATE_GET", $"fail to get {key} from state store {store}: {ex.Message}", HttpStatusCode.InternalServerError, StatusCode.Internal);

    public static DaprError Save(string store, Exception ex) => WithETagStatus("ERR_STATE_SAVE", $"failed saving state in state store {store}: {ex.Message}", ex);

    public static DaprError Delete(string key, Exception ex) => WithETagStatus("ERR_STATE_DELETE", $"failed deleting state with key {key}: {ex.Message}", ex);

    public static DaprError DeleteBulk(string store, Exception ex) =>
        WithETagStatus("ERR_STATE_DELETE", $"failed deleting state in state store {store}: {ex.Message}", ex);

    public static DaprError Transaction(Exception ex) =>
        new("ERR_STATE_TRANSACTION", $"error while executing state transaction: {ex.Message}", HttpStatusCode.InternalServerError, StatusCode.Internal);

    public static DaprError UnsupportedOperation(string operation) =>
        new("ERR_NOT_SUPPORTED_STATE_OPERATION", $"operation type {operation} not supported", HttpStatusCode.BadRequest, StatusCode.Unimplemented);

    /// <summary>ETag mismatch → 409 / Aborted; an ETag the store never issues → 400 / InvalidArgument; the rest → 500 / Internal.</summary>
    private static DaprError WithETagStatus(string code, string message, Exception ex) => ex switch
    {
        Components.State.StateETagMismatchException => new(code, message, HttpStatusCode.Conflict, StatusCode.Aborted),
        Components.State.StateETagInvalidException => new(code, message, HttpStatusCode.BadRequest, StatusCode.InvalidArgument),
        _ => new(code, message, HttpStatusCode.InternalServerError, StatusCode.Internal),
    };
}

using System.Net;
using Grpc.Core;
using Sidecar.Errors;

namespace Sidecar.Configuration;

/// <summary>The configuration building block's errors, with daprd's codes, messages and statuses (pkg/messages).</summary>
internal static class ConfigurationErrors
{
    public static DaprError NotConfigured() =>
        new("ERR_CONFIGURATION_STORE_NOT_CONFIGURED", "configuration stores not configured", HttpStatusCode.InternalServerError, StatusCode.FailedPrecondition);

    public static DaprError StoreNotFound(string store) =>
        new("ERR_CONFIGURATION_STORE_NOT_FOUND", $"configuration store {store} not found", HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    public static DaprError Get(IReadOnlyList<string> keys, string store, Exception ex) =>
        new("ERR_CONFIGURATION_GET", $"failed to get {GoList(keys)} from Configuration store {store}: {ex.Message}", HttpStatusCode.InternalServerError, StatusCode.Internal);

    public static DaprError Subscribe(IReadOnlyList<string> keys, string store, Exception ex) =>
        new("ERR_CONFIGURATION_SUBSCRIBE", $"failed to subscribe {GoList(keys)} from Configuration store {store}: {ex.Message}", HttpStatusCode.InternalServerError, StatusCode.Internal);

    public static DaprError Unsubscribe(string id, string problem) =>
        new("ERR_CONFIGURATION_UNSUBSCRIBE", $"failed to unsubscribe to configuration request {id}: {problem}", HttpStatusCode.InternalServerError, StatusCode.Internal);

    public static DaprError AppChannelNil() =>
        new("ERR_APP_CHANNEL_NIL", "app channel is not initialized. cannot subscribe to configuration updates", HttpStatusCode.InternalServerError, StatusCode.Internal);

    /// <summary>daprd formats the keys with Go's <c>%v</c>: <c>[a b]</c>.</summary>
    private static string GoList(IReadOnlyList<string> keys) => $"[{string.Join(' ', keys)}]";
}

using System.Net;
using Grpc.Core;
using Sidecar.Errors;

namespace Sidecar.Invocation;

/// <summary>Service invocation's errors, with daprd's codes and messages.</summary>
public static class InvocationErrors
{
    /// <summary>The target could not be reached, is unknown, refused, or the call failed before an answer.</summary>
    public static DaprError DirectInvoke(string appId, string error) =>
        new("ERR_DIRECT_INVOKE", $"failed to invoke, id: {appId}, err: {error}", HttpStatusCode.InternalServerError, StatusCode.Internal);

    public static DaprError NoAppId() =>
        new("ERR_DIRECT_INVOKE", "failed getting app id either from the URL path or the header dapr-app-id",
            HttpStatusCode.NotFound, StatusCode.NotFound);
}

using System.Net;
using Grpc.Core;
using Sidecar.Errors;

namespace Sidecar.Bindings;

/// <summary>The bindings building block's errors, with daprd's codes, messages and statuses (pkg/messages).</summary>
internal static class BindingsErrors
{
    /// <summary>Every failure of an output binding call, the unknown binding and operation included: 500 / Internal.</summary>
    public static DaprError InvokeOutputBinding(string name, string reason) =>
        new("ERR_INVOKE_OUTPUT_BINDING", $"error invoking output binding {name}: {reason}", HttpStatusCode.InternalServerError, StatusCode.Internal);

    /// <summary>A body that is not <c>{"data":...,"metadata":{...},"operation":"..."}</c>.</summary>
    public static DaprError MalformedRequest(string reason) =>
        new("ERR_MALFORMED_REQUEST", $"failed deserializing HTTP body: {reason}", HttpStatusCode.BadRequest, StatusCode.InvalidArgument);
}

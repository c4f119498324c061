using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Sidecar.Api.Grpc;

/// <summary>
/// An app's HTTP answer as the gRPC error daprd returns to an InvokeService caller: the code from daprd's table, the
/// reason phrase as the message, and a <c>google.rpc.ErrorInfo</c> detail (domain <c>dapr.io</c>) carrying the status
/// (<c>http.code</c>) and the first 63 characters of the body (<c>http.error_message</c>).
/// </summary>
// dapr/dapr pkg/messaging/v1/util.go CodeFromHTTPStatus, ErrorFromHTTPResponseCode
internal static class HttpStatusToGrpc
{
    private const int MaxMetadataValueLength = 63;

    /// <summary>daprd's mapping; every status it does not name (and 2xx aside) is Unknown.</summary>
    public static StatusCode CodeFor(int httpStatus) => httpStatus switch
    {
        >= 200 and < 300 => StatusCode.OK,
        408 => StatusCode.Cancelled,
        500 => StatusCode.Unknown,
        400 => StatusCode.Internal,
        504 => StatusCode.DeadlineExceeded,
        404 => StatusCode.NotFound,
        409 => StatusCode.AlreadyExists,
        403 => StatusCode.PermissionDenied,
        401 => StatusCode.Unauthenticated,
        429 => StatusCode.ResourceExhausted,
        501 => StatusCode.Unimplemented,
        503 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>The error for a non-2xx answer, or null for a success.</summary>
    public static RpcException? ErrorFor(int httpStatus, string body)
    {
        var code = CodeFor(httpStatus);
        if (code == StatusCode.OK)
        {
            return null;
        }

        var reason = ReasonPhrase(httpStatus);
        var detail = body.Length >= MaxMetadataValueLength ? body[..MaxMetadataValueLength] : body;
        var info = new Google.Rpc.ErrorInfo
        {
            Reason = reason,
            Domain = "dapr.io",
            Metadata = { ["http.code"] = httpStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), ["http.error_message"] = detail },
        };
        var status = new Google.Rpc.Status { Code = (int)code, Message = reason, Details = { Any.Pack(info) } };
        return new RpcException(new Status(code, reason), new global::Grpc.Core.Metadata { { "grpc-status-details-bin", status.ToByteArray() } });
    }

    // Go's http.StatusText, which daprd uses; .NET names three of them differently.
    private static string ReasonPhrase(int status) => status switch
    {
        413 => "Request Entity Too Large",
        414 => "Request URI Too Long",
        416 => "Requested Range Not Satisfiable",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };
}

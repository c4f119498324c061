using System.Net;
using Sidecar.AppChannel.Resiliency;

namespace Sidecar.Api.Grpc.Proxy;

/// <summary>How the target's policy reads one attempt of a proxied call.</summary>
internal static class ProxyAnswerVerdict
{
    // An answer with grpc-status in its headers is trailers-only: nothing of it reached the caller yet, so a failure
    // may be retried. Once frames flow, the answer is the caller's. The failure carries its gRPC code (a status line
    // other than 200 the code grpc-go reads from it) so matching.gRPCStatusCodes decides, as daprd's proxy wraps the
    // call's status in resiliency.NewCodeError.
    // dapr/dapr pkg/api/grpc/proxy/handler.go (NewCodeError); grpc-go internal/transport/http_util.go HTTPStatusConvTab
    public static AttemptVerdict Judge(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return AttemptVerdict.FailureWithStatus((int)(response.StatusCode switch
            {
                HttpStatusCode.BadRequest => global::Grpc.Core.StatusCode.Internal,
                HttpStatusCode.Unauthorized => global::Grpc.Core.StatusCode.Unauthenticated,
                HttpStatusCode.Forbidden => global::Grpc.Core.StatusCode.PermissionDenied,
                HttpStatusCode.NotFound => global::Grpc.Core.StatusCode.Unimplemented,
                HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
                    or HttpStatusCode.GatewayTimeout => global::Grpc.Core.StatusCode.Unavailable,
                _ => global::Grpc.Core.StatusCode.Unknown,
            }));
        }

        return response.Headers.TryGetValues("grpc-status", out var status)
               && int.TryParse(status.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
               && code != 0
            ? AttemptVerdict.FailureWithStatus(code)
            : AttemptVerdict.Success;
    }
}

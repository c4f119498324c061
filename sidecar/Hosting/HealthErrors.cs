using System.Net;
using Grpc.Core;
using Sidecar.Errors;

namespace Sidecar.Hosting;

/// <summary>The health routes' errors, with daprd's codes, messages and statuses (dapr/dapr <c>pkg/messages/predefined.go</c>).</summary>
public static class HealthErrors
{
    public static readonly DaprError NotReady =
        new("ERR_HEALTH_NOT_READY", "dapr is not ready", HttpStatusCode.InternalServerError, StatusCode.Internal);

    public static readonly DaprError OutboundNotReady =
        new("ERR_OUTBOUND_HEALTH_NOT_READY", "dapr outbound is not ready", HttpStatusCode.InternalServerError, StatusCode.Internal);

    public static readonly DaprError AppIdNotMatch =
        new("ERR_HEALTH_APPID_NOT_MATCH", "dapr app-id does not match", HttpStatusCode.InternalServerError, StatusCode.Internal);
}

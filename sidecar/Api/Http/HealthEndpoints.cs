using System.Net;
using Grpc.Core;
using Sidecar.Errors;
using Sidecar.Hosting;

namespace Sidecar.Api.Http;

/// <summary><c>/v1.0/healthz</c> (the sidecar is ready) and <c>/v1.0/healthz/outbound</c> (its components are).</summary>
internal static partial class DaprHttpApi
{
    private static readonly DaprError NotReady =
        new("ERR_HEALTH_NOT_READY", "dapr is not ready", HttpStatusCode.InternalServerError, StatusCode.Unavailable);

    static partial void MapHealth(RouteGroupBuilder api)
    {
        api.MapGet("/healthz", Healthz);
        api.MapGet("/healthz/outbound", HealthzOutbound);
    }

    private static IResult Healthz(SidecarReadiness readiness) =>
        readiness.IsReady ? TypedResults.NoContent() : DaprErrorResults.From(NotReady);

    private static IResult HealthzOutbound(SidecarReadiness readiness) =>
        readiness.IsOutboundReady ? TypedResults.NoContent() : DaprErrorResults.From(NotReady);
}

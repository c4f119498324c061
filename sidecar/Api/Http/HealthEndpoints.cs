using Sidecar.Hosting;

namespace Sidecar.Api.Http;

/// <summary>
/// <c>/v1.0/healthz</c> (the sidecar is ready; with <c>?appid=</c>, and it is that app's) and <c>/v1.0/healthz/outbound</c>
/// (its components are), with daprd's codes and messages (dapr/dapr <c>pkg/api/http/healthz.go</c>,
/// <c>pkg/messages/predefined.go</c>).
/// </summary>
internal static partial class DaprHttpApi
{
    static partial void MapHealth(RouteGroupBuilder api)
    {
        api.MapGet("/healthz", Healthz);
        api.MapGet("/healthz/outbound", HealthzOutbound);
    }

    // Name resolvers ask with ?appid= whether the sidecar on an address still belongs to the app they expect.
    private static IResult Healthz(HttpRequest request, SidecarReadiness readiness, SidecarOptions options)
    {
        if (!readiness.IsReady)
        {
            return DaprErrorResults.From(HealthErrors.NotReady);
        }

        return request.Query.TryGetValue("appid", out var appId) && !string.Equals(appId[0], options.AppId, StringComparison.Ordinal)
            ? DaprErrorResults.From(HealthErrors.AppIdNotMatch)
            : TypedResults.NoContent();
    }

    private static IResult HealthzOutbound(SidecarReadiness readiness) =>
        readiness.IsOutboundReady ? TypedResults.NoContent() : DaprErrorResults.From(HealthErrors.OutboundNotReady);
}

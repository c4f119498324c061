using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServiceDefaults;

/// <summary>
/// Readiness: the app can do its work only through its sidecar, so it is ready when the sidecar answers
/// <c>GET /v1.0/healthz/outbound</c> with a 2xx (daprd: its components are initialised and it can serve the app's calls).
/// The address is the SDK's: <c>DAPR_HTTP_ENDPOINT</c>, else <c>http://127.0.0.1:$DAPR_HTTP_PORT</c> (3500).
/// </summary>
internal sealed class DaprSidecarHealthCheck(IHttpClientFactory clients, IConfiguration configuration) : IHealthCheck
{
    /// <summary>The name of the <see cref="HttpClient"/> the check uses (tests replace its handler).</summary>
    public const string ClientName = "dapr-sidecar-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var outbound = new Uri(SidecarAddress(configuration), "v1.0/healthz/outbound");
        try
        {
            using var response = await clients.CreateClient(ClientName).GetAsync(outbound, cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The Dapr sidecar answered {(int)response.StatusCode} at {outbound}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The Dapr sidecar cannot be reached at {outbound}.");
        }
    }

    private static Uri SidecarAddress(IConfiguration configuration)
    {
        var endpoint = configuration["DAPR_HTTP_ENDPOINT"];
        if (string.IsNullOrEmpty(endpoint))
        {
            var port = configuration["DAPR_HTTP_PORT"];
            endpoint = $"http://127.0.0.1:{(string.IsNullOrEmpty(port) ? "3500" : port)}";
        }

        return new Uri(endpoint.EndsWith('/') ? endpoint : endpoint + "/");
    }
}

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sidecar.Observability;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Observability;

/// <summary>daprd's metrics on <c>--metrics-port</c> at <c>/metrics</c>, under daprd's names, moving with the traffic.</summary>
public sealed class PrometheusMetricsTests
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Metrics_ServeDaprsNames_AndCountRequestsAsTheyAreMade()
    {
        using var resources = StateResources.Sqlite();
        var metricsPort = FreePort.Next();
        await using var sidecar = await TestSidecar.StartAsync("metrics-app", resources.Path,
            o => o with { Observability = new ObservabilityOptions { MetricsPort = metricsPort } });
        var state = new Uri($"{sidecar.HttpEndpoint}/v1.0/state/statestore/k-{Guid.NewGuid():N}");

        await _http.GetAsync(state);
        var before = Count(await ScrapeAsync(metricsPort));
        for (var i = 0; i < 3; i++)
        {
            await _http.GetAsync(state);
        }

        var text = await ScrapeAsync(metricsPort);
        Assert.Contains("dapr_http_server_latency_bucket{", text, StringComparison.Ordinal);
        Assert.Equal(before + 3, Count(text));
    }

    [Fact]
    public async Task Metadata_ShowsTheMetricsPort_AndTheApiPortDoesNotServeMetrics()
    {
        using var resources = StateResources.Sqlite();
        var metricsPort = FreePort.Next();
        await using var sidecar = await TestSidecar.StartAsync("metrics-meta", resources.Path,
            o => o with { Observability = new ObservabilityOptions { MetricsPort = metricsPort } });

        using var metadata = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"{sidecar.HttpEndpoint}/v1.0/metadata")));
        var onApiPort = await _http.GetAsync(new Uri($"{sidecar.HttpEndpoint}/metrics"));

        Assert.Equal($"{metricsPort}", metadata.RootElement.GetProperty("extended").GetProperty("metricsPort").GetString());
        Assert.NotEqual(HttpStatusCode.OK, onApiPort.StatusCode);
    }

    private async Task<string> ScrapeAsync(int port)
    {
        var response = await _http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The count of GET state requests that answered 204 (a missing key), summed over its series.</summary>
    private static double Count(string text) =>
        Regex.Matches(text, @"^dapr_http_server_request_count\{(?<labels>.*)\} (?<value>[0-9.eE+-]+)( [0-9]+)?$", RegexOptions.Multiline)
            .Where(m => m.Groups["labels"].Value.Contains("app_id=\"metrics-app\"", StringComparison.Ordinal)
                && m.Groups["labels"].Value.Contains("method=\"GET\"", StringComparison.Ordinal)
                && m.Groups["labels"].Value.Contains("/v1.0/state/", StringComparison.Ordinal))
            .Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Sidecar.Workflow.Tests.Api;

/// <summary>Calls the sidecar's workflow HTTP API the way curl would: raw paths, raw bodies, raw JSON answers.</summary>
internal sealed class WorkflowHttpClient(int httpPort, string version = "v1.0-beta1") : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/") };

    public string Version { get; } = version;

    public Task<HttpResponseMessage> PostAsync(string path, string? body = null) =>
        _http.PostAsync($"{Version}/workflows/dapr/{path}",
            body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> GetAsync(string instanceId) => _http.GetAsync($"{Version}/workflows/dapr/{instanceId}");

    /// <summary>GETs the instance until <paramref name="runtimeStatus"/>, failing the test rather than hanging.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string instanceId, string runtimeStatus)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            using var response = await _http.GetAsync($"{Version}/workflows/dapr/{instanceId}", cts.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(cts.Token);
                if (body.GetProperty("runtimeStatus").GetString() == runtimeStatus)
                {
                    return body;
                }
            }

            await Task.Delay(50, cts.Token);
        }
    }

    public void Dispose() => _http.Dispose();
}

using System.Net;
using System.Text.Json;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Api;

/// <summary>Metadata, health and shutdown, over HTTP and over gRPC with the real <c>DaprClient</c>.</summary>
public sealed class MetadataAndHealthTests : IAsyncLifetime
{
    private readonly ResourcesFolder _resources = ResourcesFolder.InMemory();
    private TestSidecar _sidecar = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _sidecar = await TestSidecar.StartAsync("meta-app", _resources.Path);
        _http = new HttpClient { BaseAddress = new Uri(_sidecar.HttpEndpoint) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sidecar.DisposeAsync();
        _resources.Dispose();
    }

    [Fact]
    public async Task GrpcGetMetadata_ReportsAppIdAndComponents()
    {
        var metadata = await _sidecar.Client.GetMetadataAsync();

        Assert.Equal("meta-app", metadata.Id);
        var store = Assert.Single(metadata.Components, c => c.Name == "statestore");
        Assert.Equal(("state.in-memory", "v1"), (store.Type, store.Version));
        Assert.Equal(["ETAG", "TRANSACTIONAL", "TTL", "ACTOR"], store.Capabilities);
    }

    [Fact]
    public async Task SetMetadataOverGrpc_ShowsInHttpMetadataExtended()
    {
        await _sidecar.Client.SetMetadataAsync("owner", "team-a");

        using var body = JsonDocument.Parse(await _http.GetStringAsync("/v1.0/metadata"));

        Assert.Equal("team-a", body.RootElement.GetProperty("extended").GetProperty("owner").GetString());
    }

    [Fact]
    public async Task HttpGetMetadata_UsesDaprdFieldNames()
    {
        using var put = await _http.PutAsync("/v1.0/metadata/color", new StringContent("green"));
        using var body = JsonDocument.Parse(await _http.GetStringAsync("/v1.0/metadata"));
        var root = body.RootElement;

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal("meta-app", root.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("runtimeVersion").GetString()));
        var component = root.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "statestore");
        Assert.Equal("state.in-memory", component.GetProperty("type").GetString());
        Assert.Contains("ETAG", component.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        // daprd leaves an empty subscriptions list out (omitempty).
        Assert.False(root.TryGetProperty("subscriptions", out _));
        Assert.Equal("green", root.GetProperty("extended").GetProperty("color").GetString());
    }

    [Fact]
    public async Task Healthz_WhenStarted_Returns204OnBothRoutes()
    {
        using var healthz = await _http.GetAsync("/v1.0/healthz");
        using var outbound = await _http.GetAsync("/v1.0/healthz/outbound");

        Assert.Equal(HttpStatusCode.NoContent, healthz.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, outbound.StatusCode);
        Assert.True(await _sidecar.Client.CheckHealthAsync());
        await _sidecar.Client.WaitForSidecarAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
    }

    [Fact]
    public async Task HttpShutdown_Returns204ThenStopsTheSidecar()
    {
        var stopped = new TaskCompletionSource();
        using var registration = _sidecar.Host.Stopping.Register(() => stopped.TrySetResult());

        using var response = await _http.PostAsync("/v1.0/shutdown", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Shutdown_AnswersThenStopsTheSidecar()
    {
        await _sidecar.Client.ShutdownSidecarAsync();

        var stopped = new TaskCompletionSource();
        using var registration = _sidecar.Host.Stopping.Register(() => stopped.TrySetResult());
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
}

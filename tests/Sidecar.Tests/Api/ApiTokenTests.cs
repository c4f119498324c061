using System.Net;
using Dapr;
using Dapr.Client;
using Grpc.Core;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Api;

/// <summary><c>DAPR_API_TOKEN</c>: every API but health needs header <c>dapr-api-token</c>, on both ports.</summary>
public sealed class ApiTokenTests : IAsyncLifetime
{
    private const string Token = "s3cret-token";
    private readonly ResourcesFolder _resources = ResourcesFolder.InMemory();
    private TestSidecar _sidecar = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _sidecar = await TestSidecar.StartAsync("token-app", _resources.Path, o => o with { ApiToken = Token });
        _http = new HttpClient { BaseAddress = new Uri(_sidecar.HttpEndpoint) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sidecar.DisposeAsync();
        _resources.Dispose();
    }

    [Fact]
    public async Task Http_WithoutToken_Returns401()
    {
        using var response = await _http.GetAsync("/v1.0/metadata");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Http_WithWrongToken_Returns401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1.0/state/statestore/k") { Headers = { { "dapr-api-token", Token + "x" } } };
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Http_WithToken_IsServed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1.0/metadata") { Headers = { { "dapr-api-token", Token } } };
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_WithoutToken_IsServed()
    {
        using var healthz = await _http.GetAsync("/v1.0/healthz");
        using var outbound = await _http.GetAsync("/v1.0/healthz/outbound");

        Assert.Equal(HttpStatusCode.NoContent, healthz.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, outbound.StatusCode);
    }

    [Fact]
    public async Task Grpc_WithoutToken_IsUnauthenticated()
    {
        using var client = new DaprClientBuilder().UseGrpcEndpoint(_sidecar.GrpcEndpoint).UseHttpEndpoint(_sidecar.HttpEndpoint).Build();

        var ex = await Assert.ThrowsAsync<DaprException>(() => client.GetStateAsync<string>("statestore", "k"));

        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(ex.InnerException).StatusCode);
    }

    [Fact]
    public async Task Grpc_WithToken_IsServed()
    {
        // TestSidecar's client carries the sidecar's token.
        await _sidecar.Client.SaveStateAsync("statestore", "token-key", "v");

        Assert.Equal("v", await _sidecar.Client.GetStateAsync<string>("statestore", "token-key"));
    }
}

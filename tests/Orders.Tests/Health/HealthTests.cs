using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orders.Tests.Apis;

namespace Orders.Tests.Health;

/// <summary>
/// Liveness and readiness of service-defaults, through the orders app: liveness checks nothing, readiness asks the
/// sidecar's <c>/v1.0/healthz/outbound</c> (here a handler standing in for the sidecar, answering as daprd does).
/// </summary>
public sealed class HealthTests(OrdersApiFactory factory) : IClassFixture<OrdersApiFactory>
{
    private HttpClient ClientWithSidecar(Func<HttpRequestMessage, HttpResponseMessage> sidecar) =>
        factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.AddHttpClient("dapr-sidecar-health").ConfigurePrimaryHttpMessageHandler(() => new SidecarStub(sidecar))))
            .CreateClient();

    [Fact]
    public async Task Live_WhenTheSidecarIsDown_Returns200_SoTheAppIsNotRestartedForIt()
    {
        var client = ClientWithSidecar(_ => throw new HttpRequestException("Connection refused"));

        var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_WhenTheSidecarAnswersOutbound204_Returns200()
    {
        Uri? asked = null;
        var client = ClientWithSidecar(request => { asked = request.RequestUri; return new HttpResponseMessage(HttpStatusCode.NoContent); });

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/v1.0/healthz/outbound", asked?.AbsolutePath);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Ready_WhenTheSidecarIsUnreachableOrNotReady_Returns503(bool reachable)
    {
        var client = ClientWithSidecar(_ => reachable
            ? new HttpResponseMessage(HttpStatusCode.InternalServerError)
            : throw new HttpRequestException("Connection refused"));

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task TheOldSingleHealthRoute_IsGone()
    {
        var response = await factory.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private sealed class SidecarStub(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}

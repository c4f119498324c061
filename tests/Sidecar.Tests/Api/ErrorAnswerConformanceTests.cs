using System.Net;
using System.Text.Json;
using Dapr;
using Dapr.Client;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Api;

/// <summary>
/// Answers whose exact shape apps and name resolvers read: the API token middleware's 401 (dapr/dapr
/// <c>pkg/api/http/middlewares.go</c> APITokenAuthMiddleware, <c>pkg/api/grpc/auth.go</c>) and the health routes'
/// errors (<c>pkg/api/http/healthz.go</c>, <c>pkg/messages/predefined.go</c>).
/// </summary>
public sealed class ErrorAnswerConformanceTests
{
    [Fact]
    public async Task ApiTokenAuthMiddleware_BadToken_Answers401PlainTextInvalidApiToken()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("token-body", resources.Path, o => o with { ApiToken = "right" });
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1.0/metadata") { Headers = { { "dapr-api-token", "wrong" } } };

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("invalid api token\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CheckAPITokenInContext_GrpcBadToken_IsUnauthenticatedWithTheReasonPhrase()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("token-grpc", resources.Path, o => o with { ApiToken = "right" });
        using var client = new DaprClientBuilder().UseGrpcEndpoint(sidecar.GrpcEndpoint).UseHttpEndpoint(sidecar.HttpEndpoint)
            .UseDaprApiToken("wrong").Build();

        var error = await Assert.ThrowsAsync<DaprException>(() => client.GetMetadataAsync());

        var rpc = Assert.IsType<RpcException>(error.InnerException);
        Assert.Equal((StatusCode.Unauthenticated, "Unauthorized"), (rpc.StatusCode, rpc.Status.Detail));
    }

    [Fact]
    public async Task OnGetHealthz_AppIdOfAnotherApp_Answers500ErrHealthAppIdNotMatch()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("health-id", resources.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var mine = await http.GetAsync("/v1.0/healthz?appid=health-id");
        using var other = await http.GetAsync("/v1.0/healthz?appid=someone-else");

        Assert.Equal(HttpStatusCode.NoContent, mine.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, other.StatusCode);
        Assert.Equal(("ERR_HEALTH_APPID_NOT_MATCH", "dapr app-id does not match"), await ErrorOf(other));
    }

    [Fact]
    public async Task OnGetHealthz_NotReady_Answers500ErrHealthNotReady()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("health-not", resources.Path,
            configureServices: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessCheck>(new NeverReady())));
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var healthz = await http.GetAsync("/v1.0/healthz?appid=someone-else");

        Assert.Equal(HttpStatusCode.InternalServerError, healthz.StatusCode);
        Assert.Equal(("ERR_HEALTH_NOT_READY", "dapr is not ready"), await ErrorOf(healthz));
    }

    // The outbound route is ready as soon as the components are, which is before the port serves: its error is
    // checked as data against predefined.go.
    [Fact]
    public void ErrOutboundHealthNotReady_IsDaprdsCodeMessageAndStatuses()
    {
        var error = HealthErrors.OutboundNotReady;

        Assert.Equal(("ERR_OUTBOUND_HEALTH_NOT_READY", "dapr outbound is not ready", HttpStatusCode.InternalServerError, StatusCode.Internal),
            (error.ErrorCode, error.Message, error.HttpStatus, error.GrpcStatus));
    }

    private static async Task<(string Code, string Message)> ErrorOf(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("errorCode").GetString()!, body.RootElement.GetProperty("message").GetString()!);
    }

    private sealed class NeverReady : IReadinessCheck
    {
        public bool IsReady => false;
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Api;

/// <summary><c>/v1.0/healthz</c> waits for every readiness check; <c>/healthz/outbound</c> only for the components.</summary>
public sealed class HealthReadinessTests
{
    [Fact]
    public async Task Healthz_WhileACheckIsNotReady_Returns500ErrHealthNotReadyButOutboundIs204()
    {
        using var resources = ResourcesFolder.InMemory();
        var check = new SwitchableCheck();
        await using var sidecar = await TestSidecar.StartAsync("health-app", resources.Path,
            configureServices: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IReadinessCheck>(check)));
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var notReady = await http.GetAsync("/v1.0/healthz");
        using var outbound = await http.GetAsync("/v1.0/healthz/outbound");
        check.IsReady = true;
        using var ready = await http.GetAsync("/v1.0/healthz");

        Assert.Equal(HttpStatusCode.InternalServerError, notReady.StatusCode);
        using var body = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync());
        Assert.Equal("ERR_HEALTH_NOT_READY", body.RootElement.GetProperty("errorCode").GetString());
        Assert.Equal(HttpStatusCode.NoContent, outbound.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, ready.StatusCode);
    }

    private sealed class SwitchableCheck : IReadinessCheck
    {
        public bool IsReady { get; set; }
    }
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.PubSub.Subscriptions;

public sealed class AppReadinessTests
{
    [Fact]
    public async Task Healthz_WaitsForTheAppPortThenAnswers204()
    {
        var appPort = FreePort.Next();
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync(PubSubHarness.NewName("late"), resources.Path, o => o with { AppPort = appPort });
        using var http = new HttpClient();

        var before = await http.GetAsync($"{sidecar.HttpEndpoint}/v1.0/healthz");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, appPort));
        await using var app = builder.Build();
        await app.StartAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, before.StatusCode);
        for (var i = 0; i < 100 && (await http.GetAsync($"{sidecar.HttpEndpoint}/v1.0/healthz")).StatusCode != HttpStatusCode.NoContent; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await http.GetAsync($"{sidecar.HttpEndpoint}/v1.0/healthz")).StatusCode);
    }
}

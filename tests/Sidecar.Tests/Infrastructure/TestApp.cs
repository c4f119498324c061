using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sidecar.Tests.Infrastructure;

/// <summary>
/// A tiny ASP.NET Core app on a free loopback port, shaped like a real Dapr app: <c>UseCloudEvents</c> (optional, so a
/// test can see the raw CloudEvent) and <c>MapSubscribeHandler</c> serve the subscriptions that <paramref name="map"/>
/// declares with <c>.WithTopic(...)</c>. Point a <see cref="TestSidecar"/>'s <c>AppPort</c> at <see cref="Port"/>.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestApp(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<TestApp> StartAsync(Action<WebApplication> map, bool useCloudEvents = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Port 0: the kernel picks a port at bind time, so no parallel test can take it between choosing and binding.
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        if (useCloudEvents)
        {
            app.UseCloudEvents();
        }

        map(app);
        app.MapSubscribeHandler();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new TestApp(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

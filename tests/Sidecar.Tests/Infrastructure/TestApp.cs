using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
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
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        if (useCloudEvents)
        {
            app.UseCloudEvents();
        }

        map(app);
        app.MapSubscribeHandler();
        await app.StartAsync();
        return new TestApp(app, port);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

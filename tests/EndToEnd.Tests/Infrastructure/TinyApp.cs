using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// An app of a few lines on a free loopback port: <c>GET /whoami</c> answers its name, <c>POST /echo</c> answers the
/// body it got with header <c>x-name</c>, and every invocation's <c>dapr-caller-app-id</c> is recorded.
/// </summary>
public sealed class TinyApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _callers = new();

    private TinyApp(WebApplication app, string name)
    {
        _app = app;
        Name = name;
    }

    public string Name { get; }

    public int Port { get; private set; }

    /// <summary>The <c>dapr-caller-app-id</c> of every request so far.</summary>
    public IReadOnlyList<string> Callers => [.. _callers];

    public static async Task<TinyApp> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var tiny = new TinyApp(app, name);
        app.Use((context, next) =>
        {
            // The sidecar's own requests (subscription discovery under /dapr) are not invocations.
            if (!context.Request.Path.StartsWithSegments("/dapr"))
            {
                tiny._callers.Enqueue(context.Request.Headers["dapr-caller-app-id"].ToString());
            }

            return next(context);
        });
        app.MapGet("/whoami", () => Results.Text(name));
        app.MapPost("/echo", async (HttpRequest request, HttpResponse response) =>
        {
            response.Headers["x-name"] = name;
            return Results.Text(await new StreamReader(request.Body).ReadToEndAsync(), request.ContentType);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        tiny.Port = new Uri(address).Port;
        return tiny;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

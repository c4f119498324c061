using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.GrpcApp;

/// <summary>The https and h2c app protocols: how the sidecar's HTTP client reaches an HTTP app.</summary>
public sealed class HttpAppProtocolTests
{
    // dapr/dapr pkg/runtime/channels/channels.go appHTTPClient: h2c is HTTP/2 in clear text with prior knowledge, which
    // an HTTP/2-only app (no HTTP/1.1 to upgrade from) answers.
    [Fact]
    public async Task H2cApp_IsInvokedOverHttp2WithoutTls()
    {
        await using var app = await StartAppAsync(HttpProtocols.Http2, tls: false);
        var answer = await InvokeAsync(app.Port, "h2c");

        Assert.Equal("HTTP/2 http", answer);
    }

    // dapr/dapr pkg/runtime/channels/channels.go: https reaches the app over TLS without verifying its certificate
    // (InsecureSkipVerify), so a self-signed development certificate works.
    [Fact]
    public async Task HttpsApp_WithASelfSignedCertificate_IsInvokedOverTls()
    {
        await using var app = await StartAppAsync(HttpProtocols.Http1, tls: true);
        var answer = await InvokeAsync(app.Port, "https");

        Assert.Equal("HTTP/1.1 https", answer);
    }

    private static async Task<string> InvokeAsync(int appPort, string protocol)
    {
        using var resources = new ResourcesFolder();
        await using var sidecar = await TestSidecar.StartAsync($"proto-{Guid.NewGuid():N}", resources.Path,
            o => o with { AppPort = appPort, AppProtocol = protocol });
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{sidecar.HttpEndpoint}/v1.0/invoke/{sidecar.Options.AppId}/method/protocol");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<RunningApp> StartAppAsync(HttpProtocols protocols, bool tls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
        {
            o.Protocols = protocols;
            if (tls)
            {
                o.UseHttps(GrpcTestApp.SelfSignedCertificate());
            }
        }));
        var app = builder.Build();
        app.MapGet("/protocol", (HttpRequest request) => Results.Text($"{request.Protocol} {request.Scheme}"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new RunningApp(app, new Uri(address).Port);
    }

    private sealed record RunningApp(WebApplication App, int Port) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}

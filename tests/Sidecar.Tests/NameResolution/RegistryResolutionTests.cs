using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.NameResolution;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.NameResolution;

/// <summary>Sidecars that share only a registry file (each on a network of its own, as in two processes).</summary>
public sealed class RegistryResolutionTests : IDisposable
{
    private readonly ResourcesFolder _folder = new();

    private string Registry => Path.Combine(_folder.Path, "nr.db");

    [Fact]
    public async Task StaleEntry_WhosePortAnotherServerHolds_IsNeverTakenForTheApp()
    {
        var targetId = $"target-{Guid.NewGuid():N}";
        await using var impostor = await TestApp.StartAsync(app => app.MapFallback(() => Results.Text("impostor")));
        await using var app = await TestApp.StartAsync(app => app.MapGet("/whoami", () => Results.Text("real")));
        await using var target = await TestSidecar.StartAsync(targetId, _folder.Path, o => o with { AppPort = app.Port, NameRegistryFile = Registry });
        await using var caller = await TestSidecar.StartAsync($"caller-{Guid.NewGuid():N}", _folder.Path, o => o with { NameRegistryFile = Registry });
        // A sidecar that died while its row was fresh, its port since taken by some other HTTP server.
        using (var registry = new SqliteNameRegistry(NameResolutionSettings.For(Registry), TimeProvider.System))
        {
            await registry.RegisterAsync(
                new AppInstance("0-dead", targetId, "127.0.0.1", impostor.Port, 1, null, 1, "token-of-the-dead", 0), CancellationToken.None);
        }

        using var http = new HttpClient();
        for (var i = 0; i < 4; i++)
        {
            using var response = await http.GetAsync($"{caller.HttpEndpoint}/v1.0/invoke/{targetId}/method/whoami");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("real", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task InternalRoute_WithoutTheRegistrationToken_IsRefused_EvenWithoutAnApiToken()
    {
        await using var app = await TestApp.StartAsync(app => app.MapGet("/whoami", () => Results.Text("real")));
        await using var target = await TestSidecar.StartAsync("target", _folder.Path, o => o with { AppPort = app.Port, NameRegistryFile = Registry });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{target.HttpEndpoint}/dapr-local/v1/invoke/whoami");
        request.Headers.Add("dapr-callee-app-id", "target");
        request.Headers.Add("dapr-local-internal-token", "guessed");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("ERR_UNAUTHORIZED", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoppedSidecar_LeavesTheRegistry()
    {
        var appId = $"leaving-{Guid.NewGuid():N}";
        using var registry = new SqliteNameRegistry(NameResolutionSettings.For(Registry), TimeProvider.System);
        var sidecar = await TestSidecar.StartAsync(appId, _folder.Path, o => o with { NameRegistryFile = Registry });
        var registered = Assert.Single(await registry.LiveAsync(appId, CancellationToken.None));
        Assert.Equal(sidecar.Options.HttpPort, registered.HttpPort);

        await sidecar.DisposeAsync();

        Assert.Empty(await registry.LiveAsync(appId, CancellationToken.None));
    }

    public void Dispose() => _folder.Dispose();
}

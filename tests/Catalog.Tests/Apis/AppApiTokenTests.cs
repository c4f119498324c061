using System.Net;
using Microsoft.AspNetCore.Hosting;

namespace Catalog.Tests.Apis;

/// <summary>With APP_API_TOKEN set (dapr.io/app-token-secret), only the sidecar holding the token reaches the API.</summary>
public sealed class AppApiTokenTests : IDisposable
{
    private const string Token = "app-token-for-tests";
    private readonly TokenProtectedCatalogApp _app = new();

    [Fact]
    public async Task Request_WithoutTheAppToken_Returns401()
    {
        var response = await _app.CreateClient().GetAsync($"/items/{CatalogClient.NewId()}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Request_WithAWrongAppToken_Returns401()
    {
        var http = _app.CreateClient();
        http.DefaultRequestHeaders.Add("dapr-api-token", "not-the-token");

        var response = await http.GetAsync($"/items/{CatalogClient.NewId()}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Request_WithTheAppToken_ReachesTheApi()
    {
        var http = _app.CreateClient();
        http.DefaultRequestHeaders.Add("dapr-api-token", Token);
        var id = CatalogClient.NewId();

        var created = await http.PutItemAsync(id);
        var read = await http.GetAsync($"/items/{id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Health_WithoutTheAppToken_StaysOpenForProbes()
    {
        var response = await _app.CreateClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public void Dispose() => _app.Dispose();

    private sealed class TokenProtectedCatalogApp : CatalogApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("APP_API_TOKEN", Token);
        }
    }
}

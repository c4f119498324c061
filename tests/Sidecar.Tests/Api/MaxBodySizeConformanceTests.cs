using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapr;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Api;

/// <summary>
/// <c>--max-body-size</c> as daprd enforces it: every HTTP body is read through dapr/kit's limit reader, so the handler
/// reading it fails with "stream too large" in its own error (dapr/dapr <c>pkg/api/http/server.go</c> useMaxBodySize,
/// <c>pkg/api/http/http.go</c> onPostState and onPublish), and gRPC messages over it are ResourceExhausted
/// (<c>pkg/api/grpc/server.go</c> MaxRecvMsgSize). daprd's default is 4Mi (<c>cmd/daprd/options/options.go</c>).
/// </summary>
public sealed class MaxBodySizeConformanceTests
{
    private const int Limit = 1024;

    private static Task<TestSidecar> StartAsync(ResourcesFolder resources, Func<SidecarOptions, SidecarOptions>? configure = null) =>
        TestSidecar.StartAsync($"body-{Guid.NewGuid():N}", resources.Path, o => (configure?.Invoke(o) ?? o) with { MaxBodySize = Limit });

    private static string Padding(int length) => new('x', length);

    private static async Task<(string Code, string Message)> ErrorOf(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("errorCode").GetString()!, body.RootElement.GetProperty("message").GetString()!);
    }

    [Fact]
    public async Task OnPostState_BodyOverTheLimit_Answers400ErrMalformedRequestStreamTooLarge_AndUnderItSaves()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await StartAsync(resources);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var over = await http.PostAsJsonAsync("/v1.0/state/statestore", new[] { new { key = "big", value = Padding(2 * Limit) } });
        using var under = await http.PostAsJsonAsync("/v1.0/state/statestore", new[] { new { key = "small", value = Padding(Limit / 2) } });

        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.Equal(("ERR_MALFORMED_REQUEST", "stream too large"), await ErrorOf(over));
        Assert.Equal(HttpStatusCode.NoContent, under.StatusCode);
    }

    [Fact]
    public async Task OnPublish_BodyOverTheLimit_Answers500ErrPubsubPublishMessage()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await StartAsync(resources);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var response = await http.PostAsync("/v1.0/publish/pubsub/orders", new StringContent(Padding(2 * Limit)));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var (code, message) = await ErrorOf(response);
        Assert.Equal("ERR_PUBSUB_PUBLISH_MESSAGE", code);
        Assert.EndsWith("stream too large", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnDirectMessage_BodyOverTheLimit_Answers500ErrDirectInvoke()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var app = await TestApp.StartAsync(a => a.MapPost("/echo", async (HttpRequest request) =>
            Results.Text(await new StreamReader(request.Body).ReadToEndAsync())));
        await using var sidecar = await StartAsync(resources, o => o with { AppPort = app.Port });
        using var http = new HttpClient();

        using var over = await http.PostAsync($"{sidecar.HttpEndpoint}/v1.0/invoke/{sidecar.Options.AppId}/method/echo", new StringContent(Padding(2 * Limit)));
        using var under = await http.PostAsync($"{sidecar.HttpEndpoint}/v1.0/invoke/{sidecar.Options.AppId}/method/echo", new StringContent("fits"));

        Assert.Equal(HttpStatusCode.InternalServerError, over.StatusCode);
        Assert.Equal("ERR_DIRECT_INVOKE", (await ErrorOf(over)).Code);
        Assert.Equal("fits", await under.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GrpcMessageOverTheLimit_IsResourceExhausted()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await StartAsync(resources);

        var error = await Assert.ThrowsAsync<DaprException>(() => sidecar.Client.SaveStateAsync("statestore", "big", Padding(2 * Limit)));
        await sidecar.Client.SaveStateAsync("statestore", "small", "fits");

        Assert.Equal(StatusCode.ResourceExhausted, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        Assert.Equal("fits", await sidecar.Client.GetStateAsync<string>("statestore", "small"));
    }

    [Fact]
    public async Task DefaultLimit_Is4Mi()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("body-default", resources.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var over = await http.PostAsync("/v1.0/state/statestore",
            new StringContent($"[{{\"key\":\"big\",\"value\":\"{Padding(4 << 20)}\"}}]", Encoding.UTF8, "application/json"));
        using var under = await http.PostAsync("/v1.0/state/statestore",
            new StringContent($"[{{\"key\":\"big\",\"value\":\"{Padding((4 << 20) - 100)}\"}}]", Encoding.UTF8, "application/json"));

        Assert.Equal(4L << 20, sidecar.Options.MaxBodySize);
        Assert.Equal(("ERR_MALFORMED_REQUEST", "stream too large"), await ErrorOf(over));
        Assert.Equal(HttpStatusCode.NoContent, under.StatusCode);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Dapr;
using Dapr.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Bindings;

/// <summary>
/// <c>bindings.http</c> against a small Kestrel server in the test: every operation is that method on <c>url</c> +
/// <c>path</c>, capitalised metadata become headers, and the answer's status and headers come back as metadata, as
/// components-contrib's binding does; a non-2xx answer is an error that still carries them.
/// </summary>
public sealed class HttpBindingTests : IAsyncLifetime
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Method, string Path, string Body, string? ContentType, string? Custom)> _seen = new();
    private WebApplication _server = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            _seen.Enqueue((context.Request.Method, context.Request.Path + context.Request.QueryString, body,
                context.Request.ContentType, context.Request.Headers["X-Custom"].FirstOrDefault()));
            if (context.Request.Path.Value!.EndsWith("/missing", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 404;
                context.Response.Headers["X-Why"] = "gone";
                await context.Response.WriteAsync("no such thing");
                return;
            }

            context.Response.Headers["X-Answer"] = "42";
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync($"{context.Request.Method} {context.Request.Path} {body}");
        });
        await _server.StartAsync();
        _port = new Uri(_server.Urls.Single()).Port;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("get", "GET")]
    [InlineData("delete", "DELETE")]
    [InlineData("options", "OPTIONS")]
    [InlineData("trace", "TRACE")]
    public async Task BodylessOperations_SendThatMethodToUrlAndPath(string operation, string method)
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var response = await sidecar.Client.InvokeBindingAsync(new BindingRequest("web", operation) { Metadata = { ["path"] = "/items/7?x=1" } });

        var seen = Assert.Single(_seen);
        Assert.Equal((method, "/base/items/7?x=1", ""), (seen.Method, seen.Path, seen.Body));
        Assert.Equal($"{method} /base/items/7 ", Encoding.UTF8.GetString(response.Data.Span));
        Assert.Equal("200", response.Metadata["statusCode"]);
        Assert.Equal("200 OK", response.Metadata["status"]);
        Assert.Equal("42", response.Metadata["X-Answer"]);
    }

    [Theory]
    [InlineData("post", "POST")]
    [InlineData("put", "PUT")]
    [InlineData("patch", "PATCH")]
    [InlineData("create", "POST")]
    public async Task BodyOperations_SendTheData_AsJsonUnlessContentTypeIsGiven(string operation, string method)
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        await sidecar.Client.InvokeBindingAsync(new BindingRequest("web", operation) { Data = "{\"a\":1}"u8.ToArray() });
        await sidecar.Client.InvokeBindingAsync(new BindingRequest("web", operation)
        {
            Data = "plain"u8.ToArray(),
            Metadata = { ["Content-Type"] = "text/plain", ["X-Custom"] = "yes", ["lowercase"] = "not a header" },
        });

        var seen = _seen.ToArray();
        Assert.Equal((method, "{\"a\":1}", "application/json; charset=utf-8", (string?)null), (seen[0].Method, seen[0].Body, seen[0].ContentType, seen[0].Custom));
        Assert.Equal((method, "plain", "text/plain", "yes"), (seen[1].Method, seen[1].Body, seen[1].ContentType, seen[1].Custom));
    }

    [Fact]
    public async Task Head_AnswersNoBodyButTheStatus()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var response = await sidecar.Client.InvokeBindingAsync(new BindingRequest("web", "head"));

        Assert.Equal("HEAD", Assert.Single(_seen).Method);
        Assert.Equal(0, response.Data.Length);
        Assert.Equal("200", response.Metadata["statusCode"]);
    }

    [Fact]
    public async Task NotFound_OverGrpc_IsInternalWithDaprsMessage()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var ex = await Assert.ThrowsAsync<DaprException>(() =>
            sidecar.Client.InvokeBindingAsync(new BindingRequest("web", "get") { Metadata = { ["path"] = "missing" } }));

        var rpc = Assert.IsType<Grpc.Core.RpcException>(ex.InnerException);
        Assert.Equal(Grpc.Core.StatusCode.Internal, rpc.StatusCode);
        Assert.Equal("error invoking output binding web: received status code 404", rpc.Status.Detail);
    }

    [Fact]
    public async Task NotFound_OverHttp_Is500WithTheResponseMetadataAsHeaders()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var response = await http.PostAsync("/v1.0/bindings/web",
            new StringContent("""{"operation":"get","metadata":{"path":"missing"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("404", response.Headers.GetValues("metadata.statusCode").Single());
        Assert.Equal("gone", response.Headers.GetValues("metadata.X-Why").Single());
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERR_INVOKE_OUTPUT_BINDING", error.RootElement.GetProperty("errorCode").GetString());
        Assert.Equal("error invoking output binding web: received status code 404", error.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ErrorIfNot2XXFalse_OnTheRequest_AnswersTheBodyAndStatus()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);

        var response = await sidecar.Client.InvokeBindingAsync(new BindingRequest("web", "get")
        {
            Metadata = { ["path"] = "missing", ["errorIfNot2XX"] = "false" },
        });

        Assert.Equal("no such thing", Encoding.UTF8.GetString(response.Data.Span));
        Assert.Equal("404", response.Metadata["statusCode"]);
    }

    [Fact]
    public async Task OverHttp_TheDataIsSentAsJsonText_AndTheAnswerCarriesMetadataHeaders()
    {
        using var folder = Folder();
        await using var sidecar = await TestSidecar.StartAsync("app", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var response = await http.PostAsync("/v1.0/bindings/web",
            new StringContent("""{"operation":"post","data":"hi","metadata":{"path":"echo"}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("POST /base/echo \"hi\"", await response.Content.ReadAsStringAsync());
        Assert.Equal("200", response.Headers.GetValues("metadata.statusCode").Single());
        Assert.Equal("42", response.Headers.GetValues("metadata.X-Answer").Single());
    }

    private ResourcesFolder Folder() =>
        new ResourcesFolder(BindingResources.Binding("web", "bindings.http", ("url", $"http://127.0.0.1:{_port}/base/")));
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Tests.Invocation;

/// <summary>
/// Which requests become invocations and with what method, as daprd decides: dapr/dapr
/// <c>pkg/api/http/directmessaging.go</c> (invoke is the router's fallback; findTargetIDAndMethod reads
/// <c>dapr-app-id</c>, Basic auth, then the path, decoded and cleaned) and <c>pkg/messaging/method/normalize.go</c>
/// NormalizeMethod (applied to HTTP and gRPC callers by <c>pkg/messaging/direct_messaging.go</c>).
/// </summary>
public sealed class InvocationRoutingConformanceTests
{
    /// <summary>A target app that answers every path and verb with "{VERB} {path}".</summary>
    private static Task<InvocationPair> StartAsync() => InvocationPair.StartAsync(app =>
        app.Map("/{**path}", (HttpRequest request) => Results.Text($"{request.Method} {request.Path.Value}")));

    private static HttpRequestMessage WithAppId(HttpMethod method, string url, string appId)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("dapr-app-id", appId);
        return request;
    }

    [Fact]
    public async Task DaprAppIdHeader_OnARouteOfTheApi_IsServedByTheApiNotInvoked()
    {
        await using var pair = await StartAsync();
        using var http = new HttpClient();

        using var response = await http.SendAsync(WithAppId(HttpMethod.Get, $"{pair.Caller.HttpEndpoint}/v1.0/metadata", pair.TargetId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(pair.Caller.Options.AppId, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task DaprAppIdHeader_OnAnApiPathWithAnotherVerb_IsInvokedAsTheRoutersFallback()
    {
        await using var pair = await StartAsync();
        using var http = new HttpClient();

        using var response = await http.SendAsync(WithAppId(HttpMethod.Delete, $"{pair.Caller.HttpEndpoint}/v1.0/metadata", pair.TargetId));

        Assert.Equal("DELETE /v1.0/metadata", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnmatchedRoute_WithoutATarget_Answers404ErrDirectInvoke()
    {
        await using var pair = await StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync($"{pair.Caller.HttpEndpoint}/orders/1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ERR_DIRECT_INVOKE", body.GetProperty("errorCode").GetString());
        Assert.Equal("failed getting app id either from the URL path or the header dapr-app-id", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task FindTargetIDAndMethod_BasicAuthUserDaprAppId_NamesTheTarget()
    {
        await using var pair = await StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{pair.Caller.HttpEndpoint}/orders/2");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"dapr-app-id:{pair.TargetId}")));

        using var response = await http.SendAsync(request);

        Assert.Equal("GET /orders/2", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("orders%2F7", "/orders/7")]
    [InlineData("a%2F..%2Fb", "/b")]
    [InlineData("a%2F..%2F..%2F..%2Fb", "/b")]
    [InlineData("items/a%20b", "/items/a b")]
    public async Task NormalizeMethod_PathInvocation_DecodesAndCleansTheMethod(string method, string appSees)
    {
        await using var pair = await StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(pair.InvokeUrl(method));

        Assert.Equal($"GET {appSees}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NormalizeMethod_HeaderInvocation_DecodesAndCleansThePath()
    {
        await using var pair = await StartAsync();
        using var http = new HttpClient();

        using var response = await http.SendAsync(WithAppId(HttpMethod.Post, $"{pair.Caller.HttpEndpoint}/x%2F..%2Forders", pair.TargetId));

        Assert.Equal("POST /orders", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("orders%3Fid=1")]
    [InlineData("orders%23frag")]
    [InlineData("orders%0Aline")]
    public async Task NormalizeMethod_ForbiddenCharacter_Answers500ErrDirectInvokeWithoutCallingTheApp(string method)
    {
        var calls = 0;
        await using var pair = await InvocationPair.StartAsync(app => app.Map("/{**path}", () => { Interlocked.Increment(ref calls); return Results.Ok(); }));
        using var http = new HttpClient();

        using var response = await http.GetAsync(pair.InvokeUrl(method));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ERR_DIRECT_INVOKE", body.GetProperty("errorCode").GetString());
        Assert.Contains("invalid method", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task NormalizeMethod_GrpcInvokeService_CleansTheMethodToo()
    {
        await using var pair = await StartAsync();
        using var channel = GrpcChannel.ForAddress(pair.Caller.GrpcEndpoint);

        var response = await new Proto.Dapr.DaprClient(channel).InvokeServiceAsync(new Proto.InvokeServiceRequest
        {
            Id = pair.TargetId,
            Message = new Proto.InvokeRequest
            {
                Method = "a/../../orders//9/",
                Data = new Any { Value = ByteString.Empty },
                HttpExtension = new Proto.HTTPExtension { Verb = Proto.HTTPExtension.Types.Verb.Get },
            },
        });

        Assert.Equal("GET /orders/9", response.Data.Value.ToStringUtf8());
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.JsSdk;

/// <summary>
/// The JS SDK's publish and invoke calls with its <c>DaprServer</c> as the app (<c>tests/js-sdk/server.js</c>), and its
/// service invocation (<c>invoke.js</c>) of a .NET app, over HTTP and gRPC, as daprd serves them.
/// </summary>
public sealed class JsSdkPubSubAndInvocationTests
{
    [Theory]
    [InlineData("http")]
    [InlineData("grpc")]
    public async Task PublishBulkPublishAndInvoke_ReachTheDaprServerApp(string protocol)
    {
        using var resources = ResourcesFolder.InMemory();
        var appPort = FreePort.Next();
        // The sidecar waits for the app port, then reads the DaprServer's GET /dapr/subscribe, as daprd does.
        await using var sidecar = await TestSidecar.StartAsync("js-app", resources.Path, o => o with { AppPort = appPort });

        var r = await NodeScript.RunAsync("server.js", protocol, JsSdkEnvironment.For(sidecar,
            ("APP_PORT", $"{appPort}"), ("APP_ID", "js-app"), ("PUBSUB", "pubsub"), ("TOPIC", "js-orders")));

        Assert.True(r.Value("subscribed").GetBoolean(), "the sidecar never listed the DaprServer's subscriptions");
        Assert.Equal("{}", r.Json("publishObject"));
        Assert.Equal("{}", r.Json("publishText"));
        // daprd's HTTP bulk publish reads the SDK's "entryID" (encoding/json matches field names case-insensitively).
        Assert.Equal("""{"failedMessages":[]}""", r.Json("publishBulk"));
        // daprd: ERR_PUBSUB_NOT_FOUND is 404 over HTTP and InvalidArgument over gRPC.
        Assert.Contains(protocol == "http" ? "ERR_PUBSUB_NOT_FOUND" : "pubsub no-such-pubsub not found", r.Error("publishUnknownPubSub"));
        Assert.True(r.Value("delivered").GetBoolean(), $"not every event reached the subscribers: {r}");
        Assert.Equal(
            """["\"hello\"","{\"orderId\":\"b-1\"}","{\"orderId\":\"b-2\"}","{\"orderId\":\"o-1\"}"]""",
            r.Json("received"));
        // The bulk subscription gets daprd's bulk envelope and answers per entry; the SDK hands each event on.
        Assert.Equal(
            """["{\"orderId\":\"s-1\"}","{\"orderId\":\"s-2\"}","{\"orderId\":\"s-3\"}"]""",
            r.Json("receivedInBulk"));
        // Invocation of the JS app through its own sidecar reaches its invoker.listen handler.
        Assert.Equal("""{"greeting":"hello dee","query":"/greet"}""", r.Json("invokeApp"));
    }

    [Theory]
    [InlineData("http")]
    [InlineData("grpc")]
    public async Task PublishAndInvoke_ReachTheGrpcDaprServerApp(string protocol)
    {
        using var resources = ResourcesFolder.InMemory();
        var appPort = FreePort.Next();
        // --app-protocol grpc: the sidecar waits for the app port, then asks the DaprServer's AppCallback
        // ListTopicSubscriptions and delivers with OnTopicEvent and OnInvoke, as daprd does.
        await using var sidecar = await TestSidecar.StartAsync("js-grpc-app", resources.Path,
            o => o with { AppPort = appPort, AppProtocol = "grpc" });

        var r = await NodeScript.RunAsync("server-grpc.js", protocol, JsSdkEnvironment.For(sidecar,
            ("APP_PORT", $"{appPort}"), ("APP_ID", "js-grpc-app"), ("PUBSUB", "pubsub"), ("TOPIC", "js-grpc-orders")));

        Assert.True(r.Value("subscribed").GetBoolean(), $"the sidecar never listed the gRPC DaprServer's subscriptions: {r}");
        Assert.Equal("{}", r.Json("publishObject"));
        Assert.Equal("{}", r.Json("publishText"));
        Assert.True(r.Value("delivered").GetBoolean(), $"not every event reached the subscriber: {r}");
        Assert.Equal("""["\"hello\"","{\"orderId\":\"g-1\"}"]""", r.Json("received"));
        // Invocation of the JS app through its own sidecar reaches its invoker.listen handler over AppCallback.OnInvoke.
        Assert.Equal("""{"greeting":"hello dee"}""", r.Json("invokeApp"));
    }

    [Theory]
    [InlineData("http")]
    [InlineData("grpc")]
    public async Task Invoke_ReachesTheAppWithMethodBodyAndQuery(string protocol)
    {
        using var resources = ResourcesFolder.InMemory();
        await using var app = await TestApp.StartAsync(a =>
        {
            a.Map("/echo", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                return Results.Json(new
                {
                    method = context.Request.Method,
                    query = context.Request.QueryString.Value,
                    contentType = context.Request.ContentType,
                    body,
                });
            });
            a.MapGet("/status/{code:int}", (int code) => Results.Problem(statusCode: code, title: $"status {code}"));
        });
        await using var sidecar = await TestSidecar.StartAsync("js-invoke", resources.Path, o => o with { AppPort = app.Port });

        var r = await NodeScript.RunAsync("invoke.js", protocol, JsSdkEnvironment.For(sidecar, ("TARGET_APP_ID", "js-invoke")));

        Assert.Equal("GET", r.Value("get").GetProperty("method").GetString());
        var post = r.Value("post");
        Assert.Equal("POST", post.GetProperty("method").GetString());
        Assert.Equal("""{"orderId":"o-1","quantity":2}""", post.GetProperty("body").GetString());
        Assert.StartsWith("application/json", post.GetProperty("contentType").GetString());
        Assert.Equal("PUT", r.Value("put").GetProperty("method").GetString());
        Assert.Equal("""{"orderId":"o-2"}""", r.Value("put").GetProperty("body").GetString());
        Assert.Equal("DELETE", r.Value("delete").GetProperty("method").GetString());
        if (protocol == "http")
        {
            Assert.Equal("?color=blue&size=3", r.Value("query").GetProperty("query").GetString());
        }
        else
        {
            // The SDK's gRPC invoker puts the query in the method name, which daprd refuses (pkg/messaging/method/normalize.go).
            Assert.Contains("method contains forbidden character", r.Error("query"));
        }
        // daprd passes the app's status on: 404 over HTTP, NotFound with the reason phrase over gRPC (pkg/messaging/v1/util.go).
        Assert.Contains(protocol == "http" ? "\"status\":404" : "[not_found] Not Found", r.Error("notFound"));
        // An app id nobody serves: ERR_DIRECT_INVOKE, 500 over HTTP and Internal over gRPC.
        Assert.Contains(protocol == "http" ? "ERR_DIRECT_INVOKE" : "[internal] failed to invoke, id: no-such-app", r.Error("unknownApp"));
    }
}

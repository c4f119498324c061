using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.Secrets;

namespace Sidecar.Tests.JsSdk;

/// <summary>
/// The JS SDK's <c>invoker.invoke</c> with a <c>kind: HTTPEndpoint</c> name as the app id (<c>tests/js-sdk/endpoint.js</c>)
/// over HTTP and gRPC, as daprd serves it (dapr/dapr <c>pkg/messaging/direct_messaging.go</c> invokeHTTPEndpoint,
/// <c>pkg/channel/http/http_channel.go</c>): the method appended to the resource's baseUrl, the caller's verb and body, the
/// resource's headers (a value and a secretKeyRef) set over the caller's, and the service's answer handed back as it is.
/// The service is a real HTTP server on a free loopback port.
/// </summary>
public sealed class JsSdkHttpEndpointTests
{
    /// <summary>Answers every request with the parts of it the test asserts on, as JSON; <c>/api/fail</c> answers 503.</summary>
    private static Task<TestApp> StartServiceAsync() => TestApp.StartAsync(app => app.Run(async context =>
    {
        if (context.Request.Path == "/api/fail")
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("try later");
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        string Header(string name) => context.Request.Headers[name].ToString();
        await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
        {
            ["method"] = context.Request.Method,
            ["path"] = context.Request.Path.Value ?? "",
            ["body"] = body,
            ["contentType"] = Header("content-type"),
            ["xStatic"] = Header("x-static"),
            ["xCaller"] = Header("x-caller"),
            ["authorization"] = Header("authorization"),
        });
    }), useCloudEvents: false);

    private static ResourcesFolder Resources(int port)
    {
        var folder = new ResourcesFolder(("orders-api.yaml", $"""
            apiVersion: dapr.io/v1alpha1
            kind: HTTPEndpoint
            metadata:
              name: orders-api
            spec:
              baseUrl: http://127.0.0.1:{port}/api
              headers:
                - name: x-static
                  value: "one"
                - name: Authorization
                  secretKeyRef:
                    name: service-token
                    key: service-token
            auth:
              secretStore: localsecrets
            """));
        var secrets = SecretResources.WriteJson(folder, "secrets.json", """{ "service-token": "Bearer s3cret" }""");
        File.WriteAllText(Path.Combine(folder.Path, "secrets.yaml"), SecretResources.FileStore("localsecrets", secrets).Yaml);
        return folder;
    }

    [Theory]
    [InlineData("http")]
    [InlineData("grpc")]
    public async Task InvokeByEndpointName_ReachesTheServiceWithTheResourcesHeaders(string protocol)
    {
        await using var service = await StartServiceAsync();
        using var resources = Resources(service.Port);
        await using var sidecar = await TestSidecar.StartAsync("js-endpoint-caller", resources.Path);

        var r = await NodeScript.RunAsync("endpoint.js", protocol, JsSdkEnvironment.For(sidecar, ("ENDPOINT", "orders-api")));

        var post = r.Value("post");
        Assert.Equal("POST", post.GetProperty("method").GetString());
        Assert.Equal("/api/orders/17", post.GetProperty("path").GetString());
        Assert.Equal("""{"item":"book"}""", post.GetProperty("body").GetString());
        Assert.StartsWith("application/json", post.GetProperty("contentType").GetString(), StringComparison.Ordinal);
        Assert.Equal("one", post.GetProperty("xStatic").GetString());
        Assert.Equal("Bearer s3cret", post.GetProperty("authorization").GetString());

        var overridden = r.Value("postWithCallerHeader");
        Assert.Equal("/api/orders", overridden.GetProperty("path").GetString());
        Assert.Equal("one", overridden.GetProperty("xStatic").GetString());
        Assert.Equal(protocol == "http" ? "yes" : "", overridden.GetProperty("xCaller").GetString());

        var get = r.Value("get");
        Assert.Equal("GET", get.GetProperty("method").GetString());
        Assert.Equal("/api/orders/18", get.GetProperty("path").GetString());
        Assert.Equal("Bearer s3cret", get.GetProperty("authorization").GetString());

        // daprd passes the service's status on: 503 with its body over HTTP; over gRPC Unavailable with the reason phrase
        // (pkg/api/grpc/grpc.go InvokeService, pkg/messaging/v1/util.go ErrorFromHTTPResponseCode).
        var failing = r.Error("failing");
        Assert.Contains(protocol == "http" ? "\"status\":503" : "[unavailable] Service Unavailable", failing);
    }
}

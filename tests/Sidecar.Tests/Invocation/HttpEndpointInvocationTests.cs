using System.Net;
using System.Text;
using System.Text.Json;
using Dapr.Client;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Components;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.Secrets;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Tests.Invocation;

/// <summary>
/// Invoking an external HTTP service through the sidecar, as daprd does (dapr/dapr
/// <c>pkg/api/http/directmessaging.go</c> findTargetIDAndMethod, <c>pkg/messaging/direct_messaging.go</c>
/// invokeHTTPEndpoint, <c>pkg/channel/http/http_channel.go</c> constructRequest): a <c>kind: HTTPEndpoint</c> name
/// or a URL-encoded URL as the app id; the method appended to the base URL; the caller's verb, query and body; the
/// resource's headers (values and secrets) set over the caller's; the answer as it is. The service is a real HTTP server.
/// </summary>
public sealed class HttpEndpointInvocationTests
{
    private sealed record Seen(string Method, string Path, string Query, string Body, Dictionary<string, string> Headers);

    /// <summary>A server that answers every request with what it saw, as JSON; a path ending <c>/fail</c> answers 503 with a text body.</summary>
    private static Task<TestApp> StartEchoServerAsync() => TestApp.StartAsync(app => app.Run(async context =>
    {
        if (context.Request.Path.Value?.EndsWith("/fail", StringComparison.Ordinal) == true)
        {
            context.Response.StatusCode = 503;
            context.Response.Headers["x-why"] = "down for maintenance";
            await context.Response.WriteAsync("try later");
            return;
        }

        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        var seen = new Seen(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", body,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()));
        context.Response.StatusCode = context.Request.Method == "PUT" ? 201 : 200;
        context.Response.Headers["x-from-service"] = "yes";
        await context.Response.WriteAsJsonAsync(seen);
    }), useCloudEvents: false);

    private static (string, string) Endpoint(string name, string baseUrl, string headers = "", string extra = "") => ($"{name}.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: HTTPEndpoint
        metadata:
          name: {name}
        spec:
          baseUrl: {baseUrl}{headers}{extra}
        auth:
          secretStore: localsecrets
        """);

    private const string Headers = """

          headers:
            - name: x-static
              value: "one"
            - name: Authorization
              secretKeyRef:
                name: service-token
                key: service-token
        """;

    private static ResourcesFolder Resources(int port)
    {
        var folder = new ResourcesFolder(Endpoint("orders-api", $"http://127.0.0.1:{port}/api", Headers));
        var secrets = SecretResources.WriteJson(folder, "secrets.json", """{ "service-token": "Bearer s3cret" }""");
        File.WriteAllText(Path.Combine(folder.Path, "secrets.yaml"), SecretResources.FileStore("localsecrets", secrets).Yaml);
        return folder;
    }

    [Fact]
    public async Task SdkInvokeMethodAsync_ByEndpointName_ReachesTheBaseUrlWithTheResourcesHeaders()
    {
        await using var server = await StartEchoServerAsync();
        using var folder = Resources(server.Port);
        await using var sidecar = await TestSidecar.StartAsync("caller", folder.Path);

#pragma warning disable CS0618 // Obsolete in 1.18 but still shipped: apps that call it must reach endpoints too.
        var seen = await sidecar.Client.InvokeMethodAsync<object, Seen>(
            HttpMethod.Post, "orders-api", "orders/17", new { item = "book" });
#pragma warning restore CS0618

        Assert.Equal("POST", seen.Method);
        Assert.Equal("/api/orders/17", seen.Path);
        Assert.Equal("""{"item":"book"}""", seen.Body);
        Assert.StartsWith("application/json", seen.Headers["content-type"]);
        Assert.Equal("one", seen.Headers["x-static"]);
        Assert.Equal("Bearer s3cret", seen.Headers["authorization"]);
        Assert.True(seen.Headers.ContainsKey("traceparent"));
        // daprd adds caller and callee ids only between sidecars, and its own API token never leaves it.
        Assert.False(seen.Headers.ContainsKey("dapr-caller-app-id"));
        Assert.False(seen.Headers.ContainsKey("dapr-api-token"));
    }

    [Fact]
    public async Task GrpcInvokeService_ByEndpointName_ReachesTheService()
    {
        await using var server = await StartEchoServerAsync();
        using var folder = Resources(server.Port);
        await using var sidecar = await TestSidecar.StartAsync("caller", folder.Path);
        using var channel = GrpcChannel.ForAddress(sidecar.GrpcEndpoint);

        var call = new Proto.Dapr.DaprClient(channel).InvokeServiceAsync(new Proto.InvokeServiceRequest
        {
            Id = "orders-api",
            Message = new Proto.InvokeRequest
            {
                Method = "orders",
                Data = new Any { Value = ByteString.CopyFromUtf8("by grpc") },
                ContentType = "text/plain",
                HttpExtension = new Proto.HTTPExtension { Verb = Proto.HTTPExtension.Types.Verb.Patch, Querystring = "page=2" },
            },
        });

        var seen = JsonSerializer.Deserialize<Seen>((await call).Data.Value.ToStringUtf8(), JsonSerializerOptions.Web)!;
        Assert.Equal(("PATCH", "/api/orders", "?page=2", "by grpc"), (seen.Method, seen.Path, seen.Query, seen.Body));
        Assert.Equal("Bearer s3cret", seen.Headers["authorization"]);
        Assert.Equal("200", (await call.ResponseHeadersAsync).GetValue("dapr-http-status"));
    }

    [Fact]
    public async Task UrlEncodedUrlAsAppId_ForwardsVerbQueryAndBody_AndAnswersStatusAndHeadersAsTheyAre()
    {
        await using var server = await StartEchoServerAsync();
        using var folder = new ResourcesFolder();
        await using var sidecar = await TestSidecar.StartAsync("caller", folder.Path);
        using var http = new HttpClient();

        var target = Uri.EscapeDataString($"http://127.0.0.1:{server.Port}");
        using var response = await http.PutAsync($"{sidecar.HttpEndpoint}/v1.0/invoke/{target}/method/things/a%20b?q=1&r=two",
            new StringContent("plain body", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("x-from-service").Single());
        var seen = JsonSerializer.Deserialize<Seen>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
        Assert.Equal("PUT", seen.Method);
        Assert.Equal("/things/a b", seen.Path);
        Assert.Equal("?q=1&r=two", seen.Query);
        Assert.Equal("plain body", seen.Body);
        Assert.StartsWith("text/plain", seen.Headers["content-type"]);
    }

    [Fact]
    public async Task ServiceFailure_ComesBackVerbatim_NotAsADaprError()
    {
        await using var server = await StartEchoServerAsync();
        using var folder = Resources(server.Port);
        await using var sidecar = await TestSidecar.StartAsync("caller", folder.Path);
        using var http = new HttpClient();

        using var failing = await http.GetAsync($"{sidecar.HttpEndpoint}/v1.0/invoke/orders-api/method/fail");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        Assert.Equal("down for maintenance", failing.Headers.GetValues("x-why").Single());
        Assert.Equal("try later", await failing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnreachableEndpoint_IsErrDirectInvoke()
    {
        using var folder = new ResourcesFolder(Endpoint("gone", $"http://127.0.0.1:{FreePort.Next()}"));
        await using var sidecar = await TestSidecar.StartAsync("caller", folder.Path);

#pragma warning disable CS0618 // Obsolete in 1.18 but still shipped.
        var ex = await Assert.ThrowsAsync<InvocationException>(() => sidecar.Client.InvokeMethodAsync(HttpMethod.Get, "gone", "x"));
#pragma warning restore CS0618

        Assert.Equal(HttpStatusCode.InternalServerError, ex.Response?.StatusCode);
        Assert.Contains("ERR_DIRECT_INVOKE", await ex.Response!.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ResiliencyForTheEndpointName_RetriesItsFailures()
    {
        var calls = 0;
        await using var server = await TestApp.StartAsync(app => app.Run(async context =>
        {
            context.Response.StatusCode = Interlocked.Increment(ref calls) < 3 ? 500 : 200;
            await context.Response.WriteAsync($"call {calls}");
        }), useCloudEvents: false);
        using var folder = new ResourcesFolder(Endpoint("flaky", $"http://127.0.0.1:{server.Port}"), ("resiliency.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Resiliency
            metadata:
              name: r
            spec:
              policies:
                retries:
                  thrice:
                    policy: constant
                    duration: 10ms
                    maxRetries: 3
              targets:
                apps:
                  flaky:
                    retry: thrice
            """));
        await using var sidecar = await TestSidecar.StartAsync("caller", folder.Path);
        using var http = new HttpClient();

        using var response = await http.PostAsync($"{sidecar.HttpEndpoint}/v1.0/invoke/flaky/method/op", new StringContent("x"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("call 3", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("\n  clientTLS:\n    certificate:\n      value: abc", "clientTLS.certificate")]
    [InlineData("\n  clientTLS:\n    privateKey:\n      value: abc", "clientTLS.privateKey")]
    [InlineData("\n  headers:\n    - name: x\n      secretKeyRef:\n        name: missing", "secret store 'localsecrets', which is not defined")]
    [InlineData("\n  headers:\n    - name: x", "header 'x' needs a text 'value' or a 'secretKeyRef'")]
    public async Task UnsupportedOrBrokenResource_StopsTheStart_NamingFileAndField(string extra, string expected)
    {
        using var folder = new ResourcesFolder(Endpoint("ext", "http://127.0.0.1:1", extra: extra));

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("app", folder.Path));

        Assert.Contains("ext.yaml", ex.Message);
        Assert.Contains(expected, ex.Message);
    }
}

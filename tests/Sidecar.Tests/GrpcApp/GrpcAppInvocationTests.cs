// InvokeMethodGrpcAsync is obsolete in the SDK in favour of proxying, yet apps still call it: it is what these tests pin.
#pragma warning disable CS0618

using System.Net;
using System.Text;
using System.Text.Json;
using Dapr.Client;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Tests.GrpcApp;

/// <summary>Service invocation of an app whose protocol is grpc: AppCallback.OnInvoke, as daprd calls it.</summary>
public sealed class GrpcAppInvocationTests
{
    // dapr/dapr pkg/api/grpc/grpc.go InvokeService, pkg/channel/grpc/grpc_channel.go invokeMethodV1: the caller's
    // InvokeRequest (its Any included) reaches the app, and the app's Any comes back.
    [Fact]
    public async Task SdkInvokeMethodGrpc_ReachesOnInvoke_AndAnswersTheAppsMessage()
    {
        await using var harness = await GrpcAppHarness.StartAsync();

        var reply = await harness.Caller.Client.InvokeMethodGrpcAsync<StringValue, StringValue>(
            harness.TargetId, "hello", new StringValue { Value = "dapr" });

        Assert.Equal("hello dapr", reply.Value);
        var (request, headers) = Assert.Single(harness.App.State.Invocations);
        Assert.Equal(Any.GetTypeName(request.Data.TypeUrl), StringValue.Descriptor.FullName);
        Assert.Equal(GrpcAppHarness.AppToken, headers.GetValue("dapr-api-token"));
    }

    // dapr/dapr pkg/api/http/directmessaging.go onDirectMessage + pkg/channel/grpc/grpc_channel.go: an HTTP caller's
    // verb, query string, content type and body become the InvokeRequest's HttpExtension, content_type and data;
    // standard HTTP headers arrive prefixed dapr- (pkg/messaging/v1/util.go isPermanentHTTPHeader).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HttpInvoke_ReachesOnInvoke_WithVerbQueryContentTypeAndData(bool remote)
    {
        await using var harness = await GrpcAppHarness.StartAsync(remote);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{harness.Caller.HttpEndpoint}/v1.0/invoke/{harness.TargetId}/method/echo?a=1&b=2")
        {
            Content = new StringContent("payload", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("x-custom", "v");
        request.Headers.Add("Accept", "text/plain");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("yes", response.Headers.GetValues("x-app-answer").Single());
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("dapr-local-", StringComparison.OrdinalIgnoreCase));
        var (invoke, headers) = Assert.Single(harness.App.State.Invocations);
        Assert.Equal("echo", invoke.Method);
        Assert.Equal(Proto.HTTPExtension.Types.Verb.Put, invoke.HttpExtension.Verb);
        Assert.Equal("a=1&b=2", invoke.HttpExtension.Querystring);
        Assert.Equal("text/plain; charset=utf-8", invoke.ContentType);
        Assert.Equal("payload", invoke.Data.Value.ToStringUtf8());
        Assert.Equal("v", headers.GetValue("x-custom"));
        Assert.Equal("text/plain", headers.GetValue("dapr-accept"));
        Assert.Equal(GrpcAppHarness.AppToken, headers.GetValue("dapr-api-token"));
    }

    // dapr/dapr pkg/api/http/directmessaging.go: a gRPC app's error status becomes invokev1.HTTPStatusFromCode
    // (NotFound → 404) with the status itself as JSON for the body.
    [Fact]
    public async Task HttpInvoke_AppsErrorStatus_AnswersDaprsHttpStatus_AndTheStatusAsJson()
    {
        await using var harness = await GrpcAppHarness.StartAsync();
        using var http = new HttpClient();

        using var response = await http.PostAsync(
            $"{harness.Caller.HttpEndpoint}/v1.0/invoke/{harness.TargetId}/method/missing", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)StatusCode.NotFound, body.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("no such order", body.RootElement.GetProperty("message").GetString());
    }

    // dapr/dapr pkg/api/grpc/grpc.go InvokeService (invokev1.ErrorFromInternalStatus): a gRPC caller gets the app's own
    // status code and message, not an HTTP mapping, and no dapr-http-status header.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GrpcInvoke_AppsErrorStatus_IsTheAppsStatus(bool remote)
    {
        await using var harness = await GrpcAppHarness.StartAsync(remote);
        using var channel = GrpcChannel.ForAddress(harness.Caller.GrpcEndpoint);
        var call = new Proto.Dapr.DaprClient(channel).InvokeServiceAsync(new Proto.InvokeServiceRequest
        {
            Id = harness.TargetId,
            Message = new Proto.InvokeRequest { Method = "missing", Data = new Any { Value = ByteString.CopyFromUtf8("x") } },
        });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no such order", error.Status.Detail);
        Assert.Null((await call.ResponseHeadersAsync).GetValue("dapr-http-status"));
    }

    // dapr/dapr pkg/channel/http/http_channel.go: an InvokeRequest without HttpExtension still cannot reach an HTTP app,
    // while a gRPC app (above) takes it; the SDK's InvokeMethodGrpcAsync sends none.
    [Fact]
    public async Task SdkInvokeMethodGrpc_ToAGrpcApp_NeedsNoHttpExtension()
    {
        await using var harness = await GrpcAppHarness.StartAsync();

        await harness.Caller.Client.InvokeMethodGrpcAsync(harness.TargetId, "echo");

        Assert.Single(harness.App.State.Invocations);
    }
}

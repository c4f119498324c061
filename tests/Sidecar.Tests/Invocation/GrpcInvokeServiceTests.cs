using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Tests.Invocation;

/// <summary>gRPC <c>InvokeService</c> to an HTTP app, answered as dapr/dapr pkg/api/grpc/grpc.go InvokeService answers.</summary>
public sealed class GrpcInvokeServiceTests
{
    private static async Task<(InvocationPair Pair, GrpcChannel Channel)> StartAsync()
    {
        var pair = await InvocationPair.StartAsync(app =>
        {
            app.MapPost("/ping", async (HttpRequest request) => Results.Text(await new StreamReader(request.Body).ReadToEndAsync() + "-pong"));
            app.MapPost("/status/{code:int}", (int code) => Results.Text(new string('x', 70), statusCode: code));
        });
        return (pair, GrpcChannel.ForAddress(pair.Caller.GrpcEndpoint));
    }

    private static Proto.InvokeServiceRequest Request(string appId, string method, bool withHttpExtension = true) => new()
    {
        Id = appId,
        Message = new Proto.InvokeRequest
        {
            Method = method,
            Data = new Any { Value = ByteString.CopyFromUtf8("ping") },
            ContentType = "text/plain",
            HttpExtension = withHttpExtension ? new Proto.HTTPExtension { Verb = Proto.HTTPExtension.Types.Verb.Post } : null,
        },
    };

    // dapr/dapr pkg/api/grpc/grpc.go InvokeService: the app's status in the dapr-http-status header.
    [Fact]
    public async Task Success_AnswersTheBody_AndTheHttpStatusHeader()
    {
        var (pair, channel) = await StartAsync();
        await using var _ = pair;
        using var __ = channel;

        var call = new Proto.Dapr.DaprClient(channel).InvokeServiceAsync(Request(pair.TargetId, "ping"));

        Assert.Equal("ping-pong", (await call).Data.Value.ToStringUtf8());
        Assert.Equal("200", (await call.ResponseHeadersAsync).GetValue("dapr-http-status"));
    }

    // dapr/dapr pkg/messaging/v1/util.go CodeFromHTTPStatus
    [Theory]
    [InlineData(400, StatusCode.Internal, "Bad Request")]
    [InlineData(404, StatusCode.NotFound, "Not Found")]
    [InlineData(408, StatusCode.Cancelled, "Request Timeout")]
    [InlineData(409, StatusCode.AlreadyExists, "Conflict")]
    [InlineData(422, StatusCode.Unknown, "Unprocessable Entity")]
    [InlineData(429, StatusCode.ResourceExhausted, "Too Many Requests")]
    [InlineData(500, StatusCode.Unknown, "Internal Server Error")]
    [InlineData(503, StatusCode.Unavailable, "Service Unavailable")]
    public async Task ErrorAnswer_MapsToDaprdsCode_WithTheReasonPhraseAsMessage(int status, StatusCode code, string reason)
    {
        var (pair, channel) = await StartAsync();
        await using var _ = pair;
        using var __ = channel;

        var call = new Proto.Dapr.DaprClient(channel).InvokeServiceAsync(Request(pair.TargetId, $"status/{status}"));
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);

        Assert.Equal((code, reason), (error.StatusCode, error.Status.Detail));
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), (await call.ResponseHeadersAsync).GetValue("dapr-http-status"));
    }

    // dapr/dapr pkg/messaging/v1/util.go ErrorFromHTTPResponseCode: an ErrorInfo detail with the status and the body
    // cut to 63 characters.
    [Fact]
    public async Task ErrorAnswer_CarriesAnErrorInfoDetail()
    {
        var (pair, channel) = await StartAsync();
        await using var _ = pair;
        using var __ = channel;

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Proto.Dapr.DaprClient(channel).InvokeServiceAsync(Request(pair.TargetId, "status/409")).ResponseAsync);

        var details = Google.Rpc.Status.Parser.ParseFrom(error.Trailers.GetValueBytes("grpc-status-details-bin"));
        var info = Assert.Single(details.Details).Unpack<Google.Rpc.ErrorInfo>();
        Assert.Equal(("Conflict", "dapr.io"), (info.Reason, info.Domain));
        Assert.Equal("409", info.Metadata["http.code"]);
        Assert.Equal(new string('x', 63), info.Metadata["http.error_message"]);
    }

    // dapr/dapr pkg/channel/http/http_channel.go InvokeMethod ("missing HTTP extension field"), wrapped in
    // ERR_DIRECT_INVOKE by pkg/api/grpc/grpc.go InvokeService. The .NET SDK's InvokeMethodGrpcAsync sends none.
    [Fact]
    public async Task CallWithoutHttpExtension_IsRefused()
    {
        var (pair, channel) = await StartAsync();
        await using var _ = pair;
        using var __ = channel;

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Proto.Dapr.DaprClient(channel).InvokeServiceAsync(Request(pair.TargetId, "ping", withHttpExtension: false)).ResponseAsync);
#pragma warning disable CS0618 // Obsolete in 1.18 but still shipped: apps that call it see the same refusal.
        var sdk = await Assert.ThrowsAsync<Dapr.Client.InvocationException>(() => pair.Caller.Client.InvokeMethodGrpcAsync(pair.TargetId, "ping"));
#pragma warning restore CS0618

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("missing HTTP extension field", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Internal, Assert.IsType<RpcException>(sdk.InnerException).StatusCode);
    }

    // dapr/dapr pkg/api/grpc/grpc.go InvokeService: the app's error answer becomes a gRPC status error, not a
    // resiliency.CodeError, so the retry policy retries it whatever matching.httpStatusCodes says.
    [Fact]
    public async Task RetryPolicy_RetriesErrorAnswersWhateverTheMatching()
    {
        var count = 0;
        await using var pair = await InvocationPair.StartAsync(
            app => app.MapPost("/ping", () => Interlocked.Increment(ref count) < 3 ? Results.Conflict() : Results.Text("pong")), """
              policies:
                retries:
                  quick:
                    policy: constant
                    duration: 10ms
                    maxRetries: 3
                    matching:
                      httpStatusCodes: 500-599
              targets:
                apps:
                  TARGET:
                    retry: quick
            """);
        using var channel = GrpcChannel.ForAddress(pair.Caller.GrpcEndpoint);

        var response = await new Proto.Dapr.DaprClient(channel).InvokeServiceAsync(Request(pair.TargetId, "ping"));

        Assert.Equal("pong", response.Data.Value.ToStringUtf8());
        Assert.Equal(3, count);
    }
}

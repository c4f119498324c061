using Grpc.Core;
using Grpc.Net.Client;
using Sidecar.Tests.GrpcApp.Greet;

namespace Sidecar.Tests.GrpcApp;

/// <summary>
/// <c>--max-body-size</c> on gRPC proxying: daprd's proxy passes <c>grpc.MaxCallRecvMsgSize</c> and
/// <c>MaxCallSendMsgSize</c> of it (dapr/dapr <c>pkg/api/grpc/proxy/handler.go</c>), so a request or answer message
/// over it ends the call ResourceExhausted with grpc-go's "received message larger than max"; smaller ones pass.
/// </summary>
public sealed class GrpcProxyBodyLimitTests
{
    private const int Limit = 1 << 20;

    [Fact]
    public async Task RequestMessageOverTheCallersLimit_IsResourceExhausted_AndNeverReachesTheApp()
    {
        await using var harness = await GrpcAppHarness.StartAsync(configureCaller: o => o with { MaxBodySize = Limit });

        var failure = await Assert.ThrowsAsync<RpcException>(() => SayHelloAsync(harness, new string('n', Limit + 100), pad: 0));

        Assert.Equal(StatusCode.ResourceExhausted, failure.StatusCode);
        Assert.Contains("received message larger than max", failure.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref harness.App.State.FailableCalls));
    }

    [Fact]
    public async Task AnswerMessageOverTheLimit_IsResourceExhausted_ASmallerOnePasses()
    {
        await using var harness = await GrpcAppHarness.StartAsync(configureCaller: o => o with { MaxBodySize = Limit });

        var failure = await Assert.ThrowsAsync<RpcException>(() => SayHelloAsync(harness, "big", pad: Limit + 100));
        var reply = await SayHelloAsync(harness, "fits", pad: Limit - 100);

        Assert.Equal(StatusCode.ResourceExhausted, failure.StatusCode);
        Assert.Contains("received message larger than max", failure.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("Hello fits".Length + Limit - 100, reply.Message.Length);
        Assert.Equal(2, Volatile.Read(ref harness.App.State.FailableCalls));
    }

    // Across processes the target's sidecar proxies with its own limit too, as the callee daprd does.
    [Fact]
    public async Task RequestMessageOverTheTargetSidecarsLimit_IsResourceExhausted()
    {
        await using var harness = await GrpcAppHarness.StartAsync(remote: true, configureTarget: o => o with { MaxBodySize = Limit });

        var failure = await Assert.ThrowsAsync<RpcException>(() => SayHelloAsync(harness, new string('n', Limit + 100), pad: 0));

        Assert.Equal(StatusCode.ResourceExhausted, failure.StatusCode);
        Assert.Equal(0, Volatile.Read(ref harness.App.State.FailableCalls));
    }

    private static async Task<HelloReply> SayHelloAsync(GrpcAppHarness harness, string name, int pad)
    {
        using var channel = GrpcChannel.ForAddress(harness.Caller.GrpcEndpoint, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        return await new Greeter.GreeterClient(channel).SayHelloAsync(
            new HelloRequest { Name = name, Pad = pad }, new global::Grpc.Core.Metadata { { "dapr-app-id", harness.TargetId } });
    }
}

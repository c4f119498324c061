using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Sidecar.AppChannel;
using Sidecar.Hosting;
using Sidecar.Tests.GrpcApp.Greet;

namespace Sidecar.Tests.GrpcApp;

/// <summary>App health over AppCallbackHealthCheck, and gRPC proxying of an app's own services.</summary>
public sealed class GrpcAppHealthAndProxyTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    // dapr/dapr pkg/channel/grpc/grpc_channel.go HealthProbe: AppCallbackHealthCheck/HealthCheck decides the app's
    // health; an error answer is a failed probe.
    [Fact]
    public async Task AppHealth_FollowsAppCallbackHealthCheck()
    {
        await using var harness = await GrpcAppHarness.StartAsync(configureTarget: o => o with
        {
            AppHealth = new AppHealthOptions { Enabled = true, Interval = TimeSpan.FromMilliseconds(100), Threshold = 1 },
        });
        var health = harness.Target.Host.Services.GetRequiredService<IAppHealth>();

        await health.WaitUntilHealthyAsync(CancellationToken.None).WaitAsync(Wait);
        Assert.True(harness.App.State.HealthChecks > 0);

        var turnedUnhealthy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        health.Changed += healthy =>
        {
            if (!healthy)
            {
                turnedUnhealthy.TrySetResult();
            }
        };
        harness.App.State.Healthy = false;
        await turnedUnhealthy.Task.WaitAsync(Wait);
        Assert.False(health.IsHealthy);
    }

    // dapr/dapr pkg/api/grpc/proxy/handler.go and pkg/messaging/grpc_proxy.go intercept: a call to a service the
    // sidecar does not serve, with dapr-app-id, goes to that app's gRPC server with the target's app token and without
    // the caller's API token; server streams pass frame by frame.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CallWithDaprAppId_IsProxiedToTheAppsOwnService(bool remote)
    {
        await using var harness = await GrpcAppHarness.StartAsync(remote);
        using var channel = GrpcChannel.ForAddress(harness.Caller.GrpcEndpoint);
        var greeter = new Greeter.GreeterClient(channel);
        var headers = new global::Grpc.Core.Metadata { { "dapr-app-id", harness.TargetId } };

        var reply = await greeter.SayHelloAsync(new HelloRequest { Name = "proxy" }, headers);
        using var stream = greeter.SayHelloStream(new HelloRequest { Name = "stream" }, headers);
        var messages = new List<string>();
        await foreach (var message in stream.ResponseStream.ReadAllAsync())
        {
            messages.Add(message.Message);
        }

        Assert.Equal("Hello proxy", reply.Message);
        Assert.Equal(GrpcAppHarness.AppToken, reply.CallerToken);
        Assert.Equal(["Hello stream #1", "Hello stream #2", "Hello stream #3"], messages);
    }

    // dapr/dapr pkg/messaging/grpc_proxy.go intercept: the caller's DAPR_API_TOKEN is for its own sidecar; the call
    // crosses to the target's sidecar (which has its own token) and reaches the app without it.
    [Fact]
    public async Task ProxiedCall_ToAnotherProcessesSidecar_WithApiTokens_ReachesTheApp()
    {
        await using var harness = await GrpcAppHarness.StartAsync(remote: true, apiToken: "dapr-secret");
        using var channel = GrpcChannel.ForAddress(harness.Caller.GrpcEndpoint);
        var greeter = new Greeter.GreeterClient(channel);

        var refused = await Assert.ThrowsAsync<RpcException>(() => greeter.SayHelloAsync(
            new HelloRequest { Name = "x" }, new global::Grpc.Core.Metadata { { "dapr-app-id", harness.TargetId } }).ResponseAsync);
        var reply = await greeter.SayHelloAsync(new HelloRequest { Name = "token" }, new global::Grpc.Core.Metadata
        {
            { "dapr-app-id", harness.TargetId },
            { "dapr-api-token", "dapr-secret" },
        });

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal("Hello token", reply.Message);
        Assert.Equal(GrpcAppHarness.AppToken, reply.CallerToken);
    }

    // dapr/dapr pkg/messaging/grpc_proxy.go: without dapr-app-id there is nothing to proxy to; the sidecar answers the
    // call itself (an unknown service: Unimplemented).
    [Fact]
    public async Task CallWithoutDaprAppId_IsNotProxied()
    {
        await using var harness = await GrpcAppHarness.StartAsync();
        using var channel = GrpcChannel.ForAddress(harness.Caller.GrpcEndpoint);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "nobody" }).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }
}

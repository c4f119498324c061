using Dapr.AppCallback.Autogen.Grpc.v1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Sidecar.PubSub.Subscriptions;
using Sidecar.Tests.GrpcApp.Greet;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.GrpcApp;

/// <summary>
/// A retry policy's <c>matching.gRPCStatusCodes</c> judging a gRPC app's error codes where daprd hands them to it
/// (dapr/dapr <c>pkg/resiliency/retry.go</c> CodeError and <c>policy.go</c>: a code outside the list is permanent):
/// pub/sub deliveries (<c>pkg/runtime/subscription/postman/grpc/grpc.go</c> Deliver and DeliverBulk wrap the app's
/// status in <c>resiliency.NewCodeError</c>) and gRPC proxying (<c>pkg/api/grpc/proxy/handler.go</c> does the same).
/// </summary>
public sealed class GrpcAppRetryMatchingTests
{
    private const string Unavailable = "14";
    private const string NotFoundOnly = "5";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    // Three retries 10 ms apart for the pub/sub's deliveries and for every app target.
    private static (string, string) Policy(string grpcStatusCodes) => ("resiliency.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Resiliency
        metadata:
          name: grpcmatching
        spec:
          policies:
            retries:
              quick:
                policy: constant
                duration: 10ms
                maxRetries: 3
                matching:
                  gRPCStatusCodes: "{grpcStatusCodes}"
              DefaultAppRetryPolicy:
                policy: constant
                duration: 10ms
                maxRetries: 3
                matching:
                  gRPCStatusCodes: "{grpcStatusCodes}"
          targets:
            components:
              pubsub:
                inbound:
                  retry: quick
        """);

    [Theory]
    [InlineData(Unavailable, 1)]
    [InlineData(NotFoundOnly, 4)]
    public async Task OnTopicEvent_FailingNotFound_IsRetriedOnlyWhenMatchingListsIt(string grpcStatusCodes, int attempts)
    {
        var state = new GrpcAppState { FailWith = StatusCode.NotFound };
        state.Subscriptions.Add(new TopicSubscription { PubsubName = "pubsub", Topic = "orders" });
        var (app, sidecar, resources) = await StartAsync(state, Policy(grpcStatusCodes));
        await using var _ = app;
        await using var __ = sidecar;
        using var ___ = resources;

        await sidecar.Client.PublishEventAsync("pubsub", "orders", new { orderId = 1 });
        var seen = await CountAsync(state.Events.Reader, attempts);

        Assert.Equal(attempts, seen);
    }

    [Theory]
    [InlineData(Unavailable, 1)]
    [InlineData(NotFoundOnly, 4)]
    public async Task OnBulkTopicEvent_FailingNotFound_IsRetriedOnlyWhenMatchingListsIt(string grpcStatusCodes, int attempts)
    {
        var state = new GrpcAppState { FailWith = StatusCode.NotFound };
        state.Subscriptions.Add(new TopicSubscription
        {
            PubsubName = "pubsub",
            Topic = "batch",
            Routes = new TopicRoutes { Default = "/batch" },
            BulkSubscribe = new BulkSubscribeConfig { Enabled = true, MaxMessagesCount = 10, MaxAwaitDurationMs = 100 },
        });
        var (app, sidecar, resources) = await StartAsync(state, Policy(grpcStatusCodes));
        await using var _ = app;
        await using var __ = sidecar;
        using var ___ = resources;

        await sidecar.Client.PublishEventAsync("pubsub", "batch", new { n = 1 });
        var seen = await CountAsync(state.BulkEvents.Reader, attempts);

        Assert.Equal(attempts, seen);
    }

    // Across processes the target's sidecar proxies to its own app without a policy (pkg/messaging/grpc_proxy.go
    // Handler: isLocal gets NoOp), so the caller's retries are the only ones.
    [Theory]
    [InlineData(Unavailable, 1, false)]
    [InlineData(NotFoundOnly, 4, false)]
    [InlineData(NotFoundOnly, 4, true)]
    public async Task ProxiedCall_FailingNotFound_IsRetriedOnlyWhenMatchingListsIt(string grpcStatusCodes, int attempts, bool remote)
    {
        await using var harness = await GrpcAppHarness.StartAsync(remote, extraResources: [Policy(grpcStatusCodes)]);
        harness.App.State.FailWith = StatusCode.NotFound;
        using var channel = GrpcChannel.ForAddress(harness.Caller.GrpcEndpoint);
        var greeter = new Greeter.GreeterClient(channel);

        var failure = await Assert.ThrowsAsync<RpcException>(() => greeter.SayHelloAsync(
            new HelloRequest { Name = "x" }, new global::Grpc.Core.Metadata { { "dapr-app-id", harness.TargetId } }).ResponseAsync);
        await Task.Delay(Quiet);

        Assert.Equal(StatusCode.NotFound, failure.StatusCode);
        Assert.Equal(attempts, Volatile.Read(ref harness.App.State.FailableCalls));
    }

    private static async Task<(GrpcTestApp, TestSidecar, ResourcesFolder)> StartAsync(GrpcAppState state, (string File, string Yaml) resiliency)
    {
        var resources = ResourcesFolder.InMemory();
        await File.WriteAllTextAsync(Path.Combine(resources.Path, resiliency.File), resiliency.Yaml);
        var app = await GrpcTestApp.StartAsync(state);
        var sidecar = await TestSidecar.StartAsync($"grpcmatch-{Guid.NewGuid():N}", resources.Path,
            o => o with { AppPort = app.Port, AppProtocol = "grpc" });
        await sidecar.Host.Services.GetRequiredService<ISubscriptionRegistry>().Loaded.WaitAsync(Wait);
        return (app, sidecar, resources);
    }

    /// <summary>
    /// The calls the app records: up to <paramref name="expected"/>, each within <see cref="Wait"/>, then any more that
    /// come before it has been quiet for <see cref="Quiet"/> (10 ms retries are long over by then).
    /// </summary>
    private static async Task<int> CountAsync<T>(System.Threading.Channels.ChannelReader<T> calls, int expected)
    {
        var count = 0;
        try
        {
            for (; count < expected; count++)
            {
                await calls.ReadAsync().AsTask().WaitAsync(Wait);
            }

            for (; ; count++)
            {
                await calls.ReadAsync().AsTask().WaitAsync(Quiet);
            }
        }
        catch (TimeoutException)
        {
            return count;
        }
    }
}

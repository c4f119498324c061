using System.Net;
using System.Text.Json;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Sidecar.PubSub.Subscriptions;
using Sidecar.Tests.Infrastructure;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Tests.GrpcApp;

/// <summary>
/// <c>--app-max-concurrency</c> and <c>--max-body-size</c> on a gRPC app, as daprd's gRPC app channel applies them
/// (dapr/dapr <c>pkg/channel/grpc/grpc_channel.go</c>: invokeMethodV1 and sendJob take a <c>ch</c> slot and pass
/// <c>grpc.MaxCallSendMsgSize</c>/<c>MaxCallRecvMsgSize</c> of the body limit), while OnTopicEvent goes out on the bare
/// connection without either (<c>pkg/runtime/subscription/postman/grpc/grpc.go</c> Deliver, via GetAppClient).
/// </summary>
public sealed class GrpcAppConcurrencyTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task OnInvoke_OverTheLimit_WaitsForAFreeSlotAndThenSucceeds()
    {
        await using var harness = await GrpcAppHarness.StartAsync(configureTarget: o => o with { AppMaxConcurrency = 2 });
        var state = harness.App.State;
        using var http = new HttpClient();
        var url = $"{harness.Caller.HttpEndpoint}/v1.0/invoke/{harness.TargetId}/method/wait";

        var calls = Enumerable.Range(0, 5).Select(_ => http.PostAsync(url, null)).ToList();
        Assert.True(await UntilAsync(() => Volatile.Read(ref state.InvokesInside) == 2));
        await Task.Delay(300);
        var insideWhileBlocked = Volatile.Read(ref state.InvokesInside);
        state.InvokeGate.SetResult();
        var responses = await Task.WhenAll(calls);

        Assert.Equal(2, insideWhileBlocked);
        Assert.Equal(2, state.MostInvokesInside);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(5, state.Invocations.Count);
    }

    // One limiter per sidecar: a due job queues behind the invocation holding the only slot; an event does not.
    [Fact]
    public async Task WhileAnInvocationHoldsTheOnlySlot_AJobWaits_ButAPubSubEventIsDelivered()
    {
        var state = new GrpcAppState();
        state.Subscriptions.Add(new TopicSubscription { PubsubName = "pubsub", Topic = "orders" });
        await using var app = await GrpcTestApp.StartAsync(state);
        using var folder = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync($"grpclimit-{Guid.NewGuid():N}", folder.Path,
            o => o with { AppPort = app.Port, AppProtocol = "grpc", AppMaxConcurrency = 1 });
        await sidecar.Host.Services.GetRequiredService<ISubscriptionRegistry>().Loaded.WaitAsync(Wait);
        using var http = new HttpClient();
        using var channel = GrpcChannel.ForAddress(sidecar.GrpcEndpoint);
        var dapr = new Proto.Dapr.DaprClient(channel);

        var held = http.PostAsync($"{sidecar.HttpEndpoint}/v1.0/invoke/{sidecar.Options.AppId}/method/wait", null);
        Assert.True(await UntilAsync(() => Volatile.Read(ref state.InvokesInside) == 1));
        await dapr.ScheduleJobAsync(new Proto.ScheduleJobRequest { Job = new Proto.Job { Name = "now", DueTime = "0s", Data = Any.Pack(Value.ForString("x")) } });
        await sidecar.Client.PublishEventAsync("pubsub", "orders", new { orderId = 1 });
        var delivered = await state.Events.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        await Task.Delay(1500);
        var jobWhileHeld = state.Jobs.Reader.TryRead(out _);
        state.InvokeGate.SetResult();
        var job = await state.Jobs.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        using var data = JsonDocument.Parse(delivered.Data.ToStringUtf8());
        Assert.Equal(1, data.RootElement.GetProperty("orderId").GetInt32());
        Assert.False(jobWhileHeld);
        Assert.Equal("now", job.Name);
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
    }

    // An answer larger than --max-body-size fails the call as grpc-go's receive limit does (ResourceExhausted), which
    // daprd's HTTP API answers as HTTPStatusFromCode(ResourceExhausted) = 429 with the status as JSON.
    [Fact]
    public async Task OnInvoke_AnswerOverMaxBodySize_IsResourceExhausted_UnderItIsDelivered()
    {
        await using var harness = await GrpcAppHarness.StartAsync(configureTarget: o => o with { MaxBodySize = 1 << 20 });
        using var http = new HttpClient();
        var url = $"{harness.Caller.HttpEndpoint}/v1.0/invoke/{harness.TargetId}/method/big";

        harness.App.State.BigAnswerBytes = (1 << 20) + 1024;
        using var over = await http.PostAsync(url, null);
        harness.App.State.BigAnswerBytes = (1 << 20) - 1024;
        using var under = await http.PostAsync(url, null);

        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        using var status = JsonDocument.Parse(await over.Content.ReadAsStringAsync());
        Assert.Equal((int)global::Grpc.Core.StatusCode.ResourceExhausted, status.RootElement.GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.OK, under.StatusCode);
        Assert.Equal((1 << 20) - 1024, (await under.Content.ReadAsByteArrayAsync()).Length);
    }

    private static async Task<bool> UntilAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow + Wait; DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            if (condition())
            {
                return true;
            }
        }

        return condition();
    }
}

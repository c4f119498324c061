using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.PubSub;

namespace Sidecar.Tests.AppChannel;

/// <summary>
/// <c>--app-max-concurrency</c> as daprd's app channel applies it (dapr/dapr <c>pkg/channel/http/http_channel.go</c>,
/// the <c>ch</c> semaphore taken by invokeMethodV1): at most that many calls are inside the app at once, further calls
/// wait (and then succeed) instead of failing, and pub/sub deliveries queue behind invocations for the same slots.
/// </summary>
public sealed class AppMaxConcurrencyConformanceTests
{
    [Fact]
    public async Task InvokeMethod_OverTheLimit_WaitsForAFreeSlotAndThenSucceeds()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inside = 0;
        var most = 0;
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("limit"), app => app.MapPost("/work", async () =>
        {
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref most, now);
            await gate.Task;
            Interlocked.Decrement(ref inside);
            return Results.Text("done");
        }), configure: o => o with { AppMaxConcurrency = 2 });
        using var http = new HttpClient();
        var url = $"{harness.Sidecar.HttpEndpoint}/v1.0/invoke/{harness.Sidecar.Options.AppId}/method/work";

        var calls = Enumerable.Range(0, 5).Select(_ => http.PostAsync(url, null)).ToList();
        Assert.True(await UntilAsync(() => Volatile.Read(ref inside) == 2));
        await Task.Delay(300);
        var insideWhileBlocked = Volatile.Read(ref inside);
        gate.SetResult();
        var responses = await Task.WhenAll(calls);

        Assert.Equal(2, insideWhileBlocked);
        Assert.Equal(2, most);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task Delivery_WhileTheOnlySlotIsTaken_WaitsForIt()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var topic = PubSubHarness.NewName("limited");
        var delivered = new Inbox<JsonElement>();
        var busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("limit"), app =>
        {
            app.MapPost("/busy", async () =>
            {
                busy.TrySetResult();
                await gate.Task;
                return Results.Ok();
            });
            app.MapPost("/events", async (HttpRequest request) =>
            {
                delivered.Add(await JsonSerializer.DeserializeAsync<JsonElement>(request.Body));
                return Results.Ok();
            }).WithTopic("pubsub", topic);
        }, useCloudEvents: false, configure: o => o with { AppMaxConcurrency = 1 });
        using var http = new HttpClient();

        var invocation = http.PostAsync($"{harness.Sidecar.HttpEndpoint}/v1.0/invoke/{harness.Sidecar.Options.AppId}/method/busy", null);
        await busy.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new { n = 1 });
        await delivered.AssertStaysAtAsync(0, TimeSpan.FromMilliseconds(300));
        gate.SetResult();

        Assert.Equal(HttpStatusCode.OK, (await invocation).StatusCode);
        Assert.Single(await delivered.WaitForAsync());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static async Task<bool> UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        return condition();
    }
}

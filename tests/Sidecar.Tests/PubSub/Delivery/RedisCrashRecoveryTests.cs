using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.PubSub.Brokers;
using StackExchange.Redis;

namespace Sidecar.Tests.PubSub.Delivery;

/// <summary>
/// Where Redis legitimately differs from the embedded broker: messages outlive the sidecar. A Redis-backed sidecar
/// process killed with SIGKILL while messages are in flight and queued loses none of them: its successor reclaims the
/// pending ones after <c>processingTimeout</c> and reads the rest.
/// </summary>
public sealed class RedisCrashRecoveryTests(RedisBroker redis) : IClassFixture<RedisBroker>
{
    private sealed record Note(string Id);

    [Fact]
    public async Task Redis_SidecarKilledWhileMessagesArePending_EveryMessageIsDeliveredAfterTheRestart()
    {
        var (topic, appId) = (PubSubHarness.NewName("t"), PubSubHarness.NewName("sub"));
        var received = new Inbox<string>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartAsync(a => a.MapPost("/notes", async (Note n) =>
        {
            received.Add(n.Id);
            // Until the kill, every delivery hangs: the messages stay unacknowledged with the first sidecar.
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return Results.Ok();
        }).WithTopic("pubsub", topic));
        using var resources = new ResourcesFolder(redis.Component(new Dictionary<string, string>
        {
            ["processingTimeout"] = "3s", ["redeliverInterval"] = "500ms",
        }));
        await using var publisher = await TestSidecar.StartAsync(PubSubHarness.NewName("pub"), resources.Path);

        await using (var first = SidecarProcess.Start(appId, app.Port, resources.Path))
        {
            await first.WaitUntilSubscribedAsync(topic, TimeSpan.FromSeconds(30));
            for (var i = 0; i < 15; i++)
            {
                await publisher.Client.PublishEventAsync("pubsub", topic, new Note($"n-{i:00}"));
            }

            // concurrency 10: ten deliveries hang in the app, five wait in the sidecar's queue.
            await received.WaitForAsync(10, TimeSpan.FromSeconds(10));
            await first.KillAsync();
        }

        for (var i = 15; i < 20; i++)
        {
            await publisher.Client.PublishEventAsync("pubsub", topic, new Note($"n-{i:00}"));
        }

        var inFlightAtTheKill = received.Items.Distinct().ToList();
        release.TrySetResult();
        await using var second = SidecarProcess.Start(appId, app.Port, resources.Path);
        await second.WaitUntilSubscribedAsync(topic, TimeSpan.FromSeconds(30));

        var expected = Enumerable.Range(0, 20).Select(i => $"n-{i:00}").ToList();
        // What the first sidecar had handed to the app was never answered, so never acknowledged: it must come again.
        bool Redelivered(string id) => received.Items.Count(r => r == id) >= 2;
        await WaitUntilAsync(() => expected.All(received.Items.Contains) && inFlightAtTheKill.All(Redelivered),
            TimeSpan.FromSeconds(30), () => second.Output);
        Assert.Equal(expected, received.Items.Distinct().Order(StringComparer.Ordinal));
        await WaitUntilAsync(async () => (await redis.Database.StreamPendingAsync(topic, appId)).PendingMessageCount == 0,
            TimeSpan.FromSeconds(10), () => second.Output);
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> output) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, output);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> output)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time; sidecar output:\n" + output());
            await Task.Delay(100);
        }
    }
}

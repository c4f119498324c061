using System.Net.Http.Json;
using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.PubSub.Brokers;

namespace Sidecar.Tests.PubSub.Delivery;

/// <summary>What the sidecar does with each answer of a real subscriber app (daprd's rules), on every broker.</summary>
public abstract class DeliveryOutcomeTests(Broker broker)
{
    private sealed record Note(string Id);

    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    /// <summary>An app whose handler answers with <paramref name="answer"/> (by attempt number) and records each attempt.</summary>
    private Task<PubSubHarness> StartAsync(
        string topic, Func<int, IResult> answer, Inbox<Note> attempts, Inbox<Note>? deadLetters = null,
        params (string, string)[] resources)
    {
        var count = 0;
        return PubSubHarness.StartAsync(PubSubHarness.NewName("sub"), app =>
        {
            app.MapPost("/notes", (Note note) =>
            {
                attempts.Add(note);
                return answer(Interlocked.Increment(ref count));
            }).WithTopic(new TopicOptions { PubsubName = "pubsub", Name = topic, DeadLetterTopic = deadLetters is null ? null : topic + "-dead" });
            if (deadLetters is not null)
            {
                app.MapPost("/dead", (Note note) => { deadLetters.Add(note); return Results.Ok(); }).WithTopic("pubsub", topic + "-dead");
            }
        }, resources, broker: broker);
    }

    [Fact]
    public async Task Success_IsDeliveredOnce()
    {
        var topic = PubSubHarness.NewName("t");
        var attempts = new Inbox<Note>();
        await using var harness = await StartAsync(topic, _ => Results.Json(new { status = "SUCCESS" }), attempts);

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-1"));

        await attempts.WaitForAsync(1);
        await attempts.AssertStaysAtAsync(1, Quiet);
    }

    [Fact]
    public async Task Retry_WithAnInboundPolicy_IsRetriedUntilTheAppSucceeds()
    {
        var topic = PubSubHarness.NewName("t");
        var attempts = new Inbox<Note>();
        await using var harness = await StartAsync(topic,
            n => n < 3 ? Results.Json(new { status = "RETRY" }) : Results.Ok(), attempts, null, PubSubHarness.InboundRetry(maxRetries: 5));

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-2"));

        await attempts.WaitForAsync(3);
        await attempts.AssertStaysAtAsync(3, Quiet);
    }

    [Fact]
    public async Task ServerError_WhenRetriesRunOut_GoesToTheDeadLetterTopic()
    {
        var topic = PubSubHarness.NewName("t");
        var (attempts, dead) = (new Inbox<Note>(), new Inbox<Note>());
        await using var harness = await StartAsync(topic, _ => Results.StatusCode(500), attempts, dead, PubSubHarness.InboundRetry(maxRetries: 2));

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-3"));

        Assert.Equal("n-3", (await dead.WaitForAsync(1)).Single().Id);
        Assert.Equal(3, attempts.Items.Count);
    }

    [Fact]
    public async Task Drop_IsNotRetriedAndGoesToTheDeadLetterTopic()
    {
        var topic = PubSubHarness.NewName("t");
        var (attempts, dead) = (new Inbox<Note>(), new Inbox<Note>());
        await using var harness = await StartAsync(topic, _ => Results.Json(new { status = "DROP" }), attempts, dead, PubSubHarness.InboundRetry(maxRetries: 5));

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-4"));

        Assert.Equal("n-4", (await dead.WaitForAsync(1)).Single().Id);
        await attempts.AssertStaysAtAsync(1, Quiet);
    }

    [Fact]
    public async Task NotFound_IsNeitherRetriedNorDeadLettered()
    {
        var topic = PubSubHarness.NewName("t");
        var (attempts, dead) = (new Inbox<Note>(), new Inbox<Note>());
        await using var harness = await StartAsync(topic, _ => Results.NotFound(), attempts, dead, PubSubHarness.InboundRetry(maxRetries: 5));

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-5"));

        await attempts.WaitForAsync(1);
        await attempts.AssertStaysAtAsync(1, Quiet);
        Assert.Empty(dead.Items);
    }

    [Fact]
    public async Task Retry_WithoutPolicyOrDeadLetter_IsDeliveredOnceAndSettled()
    {
        var topic = PubSubHarness.NewName("t");
        var attempts = new Inbox<Note>();
        await using var harness = await StartAsync(topic, _ => Results.Json(new { status = "RETRY" }), attempts);

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-6"));

        // No policy: one attempt. Both brokers then settle the failure as daprd's components do (in-memory logs it,
        // Redis acknowledges it since contrib v1.17) instead of redelivering it.
        await attempts.WaitForAsync(1);
        await attempts.AssertStaysAtAsync(1, Quiet);
    }

    [Fact]
    public async Task UnhealthyApp_PausesDeliveryUntilItIsHealthyAgain()
    {
        var topic = PubSubHarness.NewName("t");
        var attempts = new Inbox<Note>();
        var healthy = true;
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("sub"), app =>
        {
            app.MapGet("/healthz", () => Volatile.Read(ref healthy) ? Results.Ok() : Results.StatusCode(503));
            app.MapPost("/notes", (Note note) => { attempts.Add(note); return Results.Ok(); }).WithTopic("pubsub", topic);
        }, broker: broker, configure: o => o with
        {
            AppHealth = new Sidecar.Hosting.AppHealthOptions
            {
                Enabled = true, Interval = TimeSpan.FromMilliseconds(30), Timeout = TimeSpan.FromMilliseconds(500), Threshold = 1,
            },
        });
        var health = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Sidecar.AppChannel.IAppHealth>(harness.Sidecar.Host.Services);
        await health.WaitUntilHealthyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Volatile.Write(ref healthy, false);
        await WaitUntilAsync(() => !health.IsHealthy);
        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-7"));
        await attempts.AssertStaysAtAsync(0, Quiet);

        Volatile.Write(ref healthy, true);
        Assert.Equal("n-7", (await attempts.WaitForAsync(1)).Single().Id);
    }

    [Fact]
    public async Task AppApiToken_IsSentWithSubscriptionDiscoveryAndDelivery()
    {
        var topic = PubSubHarness.NewName("t");
        var tokens = new Inbox<string>();
        await using var harness = await PubSubHarness.StartAsync(PubSubHarness.NewName("sub"), app =>
        {
            app.Use((context, next) =>
            {
                tokens.Add($"{context.Request.Path}={context.Request.Headers["dapr-api-token"]}");
                return next(context);
            });
            app.MapPost("/notes", (Note _) => Results.Ok()).WithTopic("pubsub", topic);
        }, broker: broker, configure: o => o with { AppApiToken = "app-secret" });

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-8"));

        var seen = await tokens.WaitForAsync(2);
        Assert.Contains("/dapr/subscribe=app-secret", seen);
        Assert.Contains("/notes=app-secret", seen);
    }

    [Fact]
    public async Task Metadata_ListsTheProgrammaticSubscription()
    {
        var topic = PubSubHarness.NewName("t");
        await using var harness = await StartAsync(topic, _ => Results.Ok(), new Inbox<Note>(), new Inbox<Note>());

        using var http = new HttpClient();
        var metadata = await http.GetFromJsonAsync<System.Text.Json.JsonElement>($"{harness.Sidecar.HttpEndpoint}/v1.0/metadata");

        var subscription = Assert.Single(metadata.GetProperty("subscriptions").EnumerateArray(), s => s.GetProperty("topic").GetString() == topic);
        Assert.Equal("pubsub", subscription.GetProperty("pubsubname").GetString());
        Assert.Equal("PROGRAMMATIC", subscription.GetProperty("type").GetString());
        Assert.Equal(topic + "-dead", subscription.GetProperty("deadLetterTopic").GetString());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 250 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}

/// <summary>The delivery rules on the embedded broker.</summary>
public sealed class DeliveryOutcomeOnEmbeddedBrokerTests() : DeliveryOutcomeTests(new EmbeddedBroker());

/// <summary>The same rules on <c>pubsub.redis</c>.</summary>
public sealed class DeliveryOutcomeOnRedisTests(RedisBroker redis) : DeliveryOutcomeTests(redis), IClassFixture<RedisBroker>;

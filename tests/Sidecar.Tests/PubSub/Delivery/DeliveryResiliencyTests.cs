using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.PubSub.Delivery;

/// <summary>
/// The pub/sub's inbound policy (<c>targets.components.pubsub.inbound</c>) applied to deliveries to a real subscriber
/// app, as dapr/dapr pkg/runtime/subscription/subscription.go and postman/http/http.go apply it.
/// </summary>
public sealed class DeliveryResiliencyTests
{
    private sealed record Note(string Id);

    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    private static (string, string) Inbound(string policies) => ("resiliency.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Resiliency
        metadata:
          name: delivery
        spec:
        {policies}
          targets:
            components:
              pubsub:
                inbound:
                  retry: quick
                  circuitBreaker: cb
        """);

    private static string Policies(string matching = "", string trip = "consecutiveFailures > 100") => $"""
          policies:
            retries:
              quick:
                policy: constant
                duration: 10ms
                maxRetries: 3
        {matching}
            circuitBreakers:
              cb:
                trip: {trip}
                timeout: 60s
        """;

    private static Task<PubSubHarness> StartAsync(string topic, Func<int, IResult> answer, Inbox<Note> attempts, Inbox<Note> dead, string policies)
    {
        var count = 0;
        return PubSubHarness.StartAsync(PubSubHarness.NewName("sub"), app =>
        {
            app.MapPost("/notes", (Note note) =>
            {
                attempts.Add(note);
                return answer(Interlocked.Increment(ref count));
            }).WithTopic(new TopicOptions { PubsubName = "pubsub", Name = topic, DeadLetterTopic = topic + "-dead" });
            app.MapPost("/dead", (Note note) => { dead.Add(note); return Results.Ok(); }).WithTopic("pubsub", topic + "-dead");
        }, [Inbound(policies)]);
    }

    // dapr/dapr pkg/runtime/subscription/postman/http/http.go Deliver (NewCodeError) with pkg/resiliency/retry.go
    // mustRetryStatusCode: a status outside matching.httpStatusCodes is not retried; the event goes to the dead letter topic.
    [Fact]
    public async Task StatusOutsideMatching_IsNotRetried_AndIsDeadLettered()
    {
        var topic = PubSubHarness.NewName("t");
        var (attempts, dead) = (new Inbox<Note>(), new Inbox<Note>());
        await using var harness = await StartAsync(topic, _ => Results.BadRequest(), attempts, dead, Policies("""
                    matching:
                      httpStatusCodes: 500-599
            """));

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-1"));

        Assert.Equal("n-1", (await dead.WaitForAsync(1)).Single().Id);
        await attempts.AssertStaysAtAsync(1, Quiet);
    }

    // dapr/dapr pkg/runtime/subscription/postman/http/http.go Deliver: a 4xx other than 404 is retried when no matching excludes it.
    [Fact]
    public async Task ClientErrorAnswer_IsRetriedWithoutMatching()
    {
        var topic = PubSubHarness.NewName("t");
        var (attempts, dead) = (new Inbox<Note>(), new Inbox<Note>());
        await using var harness = await StartAsync(topic, n => n < 3 ? Results.BadRequest() : Results.Ok(), attempts, dead, Policies());

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-2"));

        await attempts.WaitForAsync(3);
        await attempts.AssertStaysAtAsync(3, Quiet);
        Assert.Empty(dead.Items);
    }

    // dapr/dapr pkg/runtime/subscription/postman/http/http.go Deliver: RETRY is a retriable error without a status
    // code, so matching does not stop it.
    [Fact]
    public async Task RetryStatus_IsRetriedWhateverTheMatching()
    {
        var topic = PubSubHarness.NewName("t");
        var (attempts, dead) = (new Inbox<Note>(), new Inbox<Note>());
        await using var harness = await StartAsync(topic, n => n < 3 ? Results.Json(new { status = "RETRY" }) : Results.Ok(), attempts, dead,
            Policies("""
                    matching:
                      httpStatusCodes: "503"
            """));

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-3"));

        await attempts.WaitForAsync(3);
        await attempts.AssertStaysAtAsync(3, Quiet);
    }

    // dapr/dapr pkg/resiliency/resiliency.go ComponentInboundPolicy (one breaker per component name) and policy.go:
    // once open, no delivery from that pub/sub reaches the app (the retries of the failing event stop too), whatever
    // the topic, the dead letter topic included.
    [Fact]
    public async Task OpenInboundBreaker_StopsEveryDeliveryFromThatPubSub()
    {
        var topic = PubSubHarness.NewName("t");
        var (attempts, dead) = (new Inbox<Note>(), new Inbox<Note>());
        await using var harness = await StartAsync(topic, _ => Results.StatusCode(500), attempts, dead, Policies(trip: "totalFailures >= 2"));

        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-4"));
        await attempts.WaitForAsync(2);
        await harness.Sidecar.Client.PublishEventAsync("pubsub", topic, new Note("n-5"));

        await attempts.AssertStaysAtAsync(2, Quiet);
        Assert.Empty(dead.Items);
    }
}

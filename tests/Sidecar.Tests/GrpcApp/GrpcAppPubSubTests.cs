using System.Text.Json;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Microsoft.Extensions.DependencyInjection;
using Sidecar.PubSub.Subscriptions;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.PubSub;

namespace Sidecar.Tests.GrpcApp;

/// <summary>Pub/sub to an app whose protocol is grpc: ListTopicSubscriptions, OnTopicEvent, OnBulkTopicEventAlpha1.</summary>
public sealed class GrpcAppPubSubTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static async Task<(GrpcTestApp App, TestSidecar Sidecar, ResourcesFolder Resources)> StartAsync(
        GrpcAppState state, params (string File, string Yaml)[] extra)
    {
        var resources = ResourcesFolder.InMemory();
        foreach (var (file, yaml) in extra)
        {
            await File.WriteAllTextAsync(Path.Combine(resources.Path, file), yaml);
        }

        var app = await GrpcTestApp.StartAsync(state);
        var sidecar = await TestSidecar.StartAsync($"grpcsub-{Guid.NewGuid():N}", resources.Path,
            o => o with { AppPort = app.Port, AppProtocol = "grpc" });
        await sidecar.Host.Services.GetRequiredService<ISubscriptionRegistry>().Loaded.WaitAsync(Wait);
        return (app, sidecar, resources);
    }

    // dapr/dapr pkg/runtime/pubsub/subscriptions.go GetSubscriptionsGRPC (a subscription without routes gets the empty
    // path) and GRPCEnvelopeFromSubscriptionMessage (envelope fields, JSON data, the rest in extensions);
    // pkg/runtime/subscription/postman/grpc/grpc.go Deliver.
    [Fact]
    public async Task ListTopicSubscriptions_ThenOnTopicEvent_CarriesTheCloudEventAsDaprdFillsIt()
    {
        var state = new GrpcAppState();
        state.Subscriptions.Add(new TopicSubscription { PubsubName = "pubsub", Topic = "orders" });
        var (app, sidecar, resources) = await StartAsync(state);
        await using var _ = app;
        await using var __ = sidecar;
        using var ___ = resources;

        await sidecar.Client.PublishEventAsync("pubsub", "orders", new { orderId = 7 });
        var received = await state.Events.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        Assert.False(string.IsNullOrEmpty(received.Id));
        Assert.Equal(sidecar.Options.AppId, received.Source);
        Assert.Equal("com.dapr.event.sent", received.Type);
        Assert.Equal("1.0", received.SpecVersion);
        Assert.Equal("application/json", received.DataContentType);
        Assert.Equal(("orders", "pubsub", ""), (received.Topic, received.PubsubName, received.Path));
        using var data = JsonDocument.Parse(received.Data.ToStringUtf8());
        Assert.Equal(7, data.RootElement.GetProperty("orderId").GetInt32());
        Assert.Equal("orders", received.Extensions.Fields["topic"].StringValue);
        Assert.DoesNotContain("data", received.Extensions.Fields.Keys);
    }

    // dapr/dapr pkg/runtime/subscription/postman/grpc/grpc.go Deliver: RETRY is a retriable failure, under the
    // pub/sub's inbound resiliency policy.
    [Fact]
    public async Task OnTopicEvent_AnsweringRetry_IsDeliveredAgain()
    {
        var state = new GrpcAppState();
        state.Subscriptions.Add(new TopicSubscription
        {
            PubsubName = "pubsub",
            Topic = "orders",
            Routes = new TopicRoutes { Default = "/orders" },
        });
        state.TopicAnswers.Enqueue(TopicEventResponse.Types.TopicEventResponseStatus.Retry);
        var (app, sidecar, resources) = await StartAsync(state, PubSubHarness.InboundRetry(3));
        await using var _ = app;
        await using var __ = sidecar;
        using var ___ = resources;

        await sidecar.Client.PublishEventAsync("pubsub", "orders", new { orderId = 8 });
        var first = await state.Events.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        var second = await state.Events.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("/orders", second.Path);
    }

    // dapr/dapr pkg/runtime/subscription/postman/grpc/grpc.go DeliverBulk: OnBulkTopicEvent first, then
    // AppCallbackAlpha.OnBulkTopicEventAlpha1 when the app answers Unimplemented; each entry's CloudEvent as
    // pkg/runtime/pubsub/subscriptions.go extractCloudEvent fills it.
    [Fact]
    public async Task BulkSubscription_IsDeliveredThroughOnBulkTopicEventAlpha1()
    {
        var state = new GrpcAppState();
        state.Subscriptions.Add(new TopicSubscription
        {
            PubsubName = "pubsub",
            Topic = "batch",
            Routes = new TopicRoutes { Default = "/batch" },
            BulkSubscribe = new BulkSubscribeConfig { Enabled = true, MaxMessagesCount = 10, MaxAwaitDurationMs = 200 },
        });
        var (app, sidecar, resources) = await StartAsync(state);
        await using var _ = app;
        await using var __ = sidecar;
        using var ___ = resources;

        await sidecar.Client.PublishEventAsync("pubsub", "batch", new { n = 1 });
        var bulk = await state.BulkEvents.Reader.ReadAsync().AsTask().WaitAsync(Wait);

        Assert.Equal(("batch", "pubsub", "/batch", "com.dapr.event.sent.bulk"), (bulk.Topic, bulk.PubsubName, bulk.Path, bulk.Type));
        var entry = Assert.Single(bulk.Entries);
        Assert.Equal(TopicEventBulkRequestEntry.EventOneofCase.CloudEvent, entry.EventCase);
        Assert.Equal("com.dapr.event.sent", entry.CloudEvent.Type);
        using var data = JsonDocument.Parse(entry.CloudEvent.Data.ToStringUtf8());
        Assert.Equal(1, data.RootElement.GetProperty("n").GetInt32());
    }
}

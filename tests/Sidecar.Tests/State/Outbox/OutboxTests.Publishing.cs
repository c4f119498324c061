using System.Net.Http.Json;
using System.Text.Json;
using Dapr;
using Dapr.Client;
using Grpc.Core;
using Sidecar.Components.State;

namespace Sidecar.Tests.State.Outbox;

/// <summary>
/// What is published for a transaction: each committed upsert once (nothing for one that failed), projections, and the
/// operation's metadata as CloudEvent attributes.
/// </summary>
public sealed partial class OutboxTests
{
    [Theory]
    [InlineData("state.in-memory")]
    [InlineData("state.sqlite")]
    [InlineData("state.redis")]
    public async Task Transaction_PublishesEachUpsertAfterItCommitted(string type)
    {
        await StartAsync([OutboxStoreYaml(type, _topic, metadata: await StoreMetadataAsync(type))]);

        await Client.ExecuteStateTransactionAsync(OutboxStore,
        [
            new StateTransactionRequest("i-1", Bytes(new Item("i-1", 5)), StateOperationType.Upsert),
            .. JsonPublishedUpsert(new Item("i-2", 7)),
            new StateTransactionRequest("gone", null, StateOperationType.Delete),
        ]);

        var deliveries = await _inbox.WaitForAsync(2);
        Assert.Equal(["i-1", "i-2"], deliveries.Select(d => Data(d.CloudEvent).GetProperty("id").GetString()).Order());
        Assert.All(deliveries, d =>
        {
            var ce = d.CloudEvent;
            Assert.StartsWith("outbox-", ce.GetProperty("id").GetString(), StringComparison.Ordinal);
            Assert.Equal((_topic, "pubsub", _appId, "com.dapr.event.sent"), (
                ce.GetProperty("topic").GetString(), ce.GetProperty("pubsubname").GetString(), ce.GetProperty("source").GetString(),
                ce.GetProperty("type").GetString()));
            // The subscriber, reading the store when the event arrives, already sees what the transaction wrote.
            Assert.Equal(Data(ce).GetProperty("stock").GetInt32(), d.StateAtDelivery?.Stock);
        });
        // Without a contentType the value is published as text (as daprd does); the projection made i-2's JSON.
        var byId = deliveries.ToDictionary(d => Data(d.CloudEvent).GetProperty("id").GetString()!, d => d.CloudEvent);
        Assert.Equal(("text/plain", JsonValueKind.String), (byId["i-1"].GetProperty("datacontenttype").GetString(), byId["i-1"].GetProperty("data").ValueKind));
        Assert.Equal(("application/json", JsonValueKind.Object), (byId["i-2"].GetProperty("datacontenttype").GetString(), byId["i-2"].GetProperty("data").ValueKind));
        await _inbox.AssertStaysAtAsync(2, TimeSpan.FromMilliseconds(300));
        var records = await ((IStateKeyScan)RawStore()).KeysWithPrefixAsync("dapr-outbox||", default);
        Assert.Empty(records);
    }

    [Theory]
    [InlineData("state.in-memory")]
    [InlineData("state.sqlite")]
    [InlineData("state.redis")]
    public async Task Transaction_ThatFails_PublishesNothing(string type)
    {
        await StartAsync([OutboxStoreYaml(type, _topic, metadata: await StoreMetadataAsync(type))]);
        await Client.SaveStateAsync(OutboxStore, "i-1", new Item("i-1", 1));
        var (_, stale) = await Client.GetStateAndETagAsync<Item>(OutboxStore, "i-1");
        await Client.SaveStateAsync(OutboxStore, "i-1", new Item("i-1", 2));

        await Assert.ThrowsAsync<DaprException>(() => Client.ExecuteStateTransactionAsync(OutboxStore,
        [
            new StateTransactionRequest("i-2", Bytes(new Item("i-2", 1)), StateOperationType.Upsert),
            new StateTransactionRequest("i-1", Bytes(new Item("i-1", 3)), StateOperationType.Upsert, stale),
        ]));
        await Client.ExecuteStateTransactionAsync(OutboxStore,
            [new StateTransactionRequest("i-3", Bytes(new Item("i-3", 3)), StateOperationType.Upsert)]);

        var delivered = Assert.Single(await _inbox.WaitForAsync(1));
        Assert.Equal("i-3", Data(delivered.CloudEvent).GetProperty("id").GetString());
        await _inbox.AssertStaysAtAsync(1, TimeSpan.FromSeconds(1));
        Assert.Empty(await ((IStateKeyScan)RawStore()).KeysWithPrefixAsync("dapr-outbox||", default));
    }

    [Fact]
    public async Task RedisStoreAndRedisBroker_OnOneServer_PublishTheCommittedUpsert()
    {
        var server = await StartRedisAsync();
        await StartAsync(
        [
            OutboxStoreYaml("state.redis", _topic, pubSub: "redis-pubsub", metadata: RedisHostMetadata(server)),
            ("redis-pubsub.yaml", $$"""
                apiVersion: dapr.io/v1alpha1
                kind: Component
                metadata:
                  name: redis-pubsub
                spec:
                  type: pubsub.redis
                  version: v1
                  metadata:
                    - name: redisHost
                      value: "{{server.Host}}"
                """),
        ], pubSub: "redis-pubsub");

        await Client.ExecuteStateTransactionAsync(OutboxStore, JsonPublishedUpsert(new Item("r-1", 3)));

        var delivered = Assert.Single(await _inbox.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        Assert.Equal((3, 3, "redis-pubsub"), (
            Data(delivered.CloudEvent).GetProperty("stock").GetInt32(), delivered.StateAtDelivery?.Stock,
            delivered.CloudEvent.GetProperty("pubsubname").GetString()));
    }

    [Fact]
    public async Task Projection_PublishesTheProjectedValueAndSavesTheOther()
    {
        await StartAsync([OutboxStoreYaml("state.in-memory", _topic)]);

        await Client.ExecuteStateTransactionAsync(OutboxStore,
        [
            new StateTransactionRequest("i-1", Bytes(new Item("i-1", 100)), StateOperationType.Upsert, metadata: Json),
            new StateTransactionRequest("i-1", Bytes(new Item("i-1", -1)), StateOperationType.Upsert,
                metadata: new Dictionary<string, string> { ["outbox.projection"] = "true", ["contentType"] = "application/json" }),
        ]);

        var delivered = Assert.Single(await _inbox.WaitForAsync(1));
        Assert.Equal(-1, delivered.CloudEvent.GetProperty("data").GetProperty("stock").GetInt32());
        Assert.Equal(new Item("i-1", 100), await Client.GetStateAsync<Item>(OutboxStore, "i-1"));
        await _inbox.AssertStaysAtAsync(1, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Projection_WithoutAnUpsertOfItsKey_IsRejectedAndNothingIsWritten()
    {
        await StartAsync([OutboxStoreYaml("state.in-memory", _topic)]);

        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.ExecuteStateTransactionAsync(OutboxStore,
        [
            new StateTransactionRequest("i-1", Bytes(new Item("i-1", 1)), StateOperationType.Upsert, metadata: Json),
            new StateTransactionRequest("other", Bytes(new Item("other", 1)), StateOperationType.Upsert,
                metadata: new Dictionary<string, string> { ["outbox.projection"] = "true" }),
        ]));

        Assert.Equal(StatusCode.InvalidArgument, Assert.IsType<RpcException>(ex.InnerException).StatusCode);
        Assert.Null(await Client.GetStateAsync<Item>(OutboxStore, "i-1"));
    }

    [Fact]
    public async Task OperationMetadata_BecomesCloudEventAttributes_AsDaprdCopiesThem()
    {
        await StartAsync([OutboxStoreYaml("state.in-memory", _topic)]);

        await Client.ExecuteStateTransactionAsync(OutboxStore,
        [
            new StateTransactionRequest("i-1", Bytes(new Item("i-1", 1)), StateOperationType.Upsert, metadata: new Dictionary<string, string>
            {
                ["contentType"] = "application/json", ["type"] = "item.upserted", ["subject"] = "i-1",
                ["outbox.cloudevent.myapp"] = "catalog", ["id"] = "not-mine", ["data"] = "not-mine",
            }),
        ]);

        var ce = Assert.Single(await _inbox.WaitForAsync(1)).CloudEvent;
        Assert.Equal(("item.upserted", "i-1", "catalog"), (
            ce.GetProperty("type").GetString(), ce.GetProperty("subject").GetString(), ce.GetProperty("outbox.cloudevent.myapp").GetString()));
        Assert.StartsWith("outbox-", ce.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("i-1", ce.GetProperty("data").GetProperty("id").GetString());
    }

    [Fact]
    public async Task HttpTransaction_PublishesToo_WithTheRequestMetadataInEveryOperation()
    {
        await StartAsync([OutboxStoreYaml("state.in-memory", _topic)]);
        using var http = new HttpClient { BaseAddress = new Uri(_harness!.Sidecar.HttpEndpoint) };

        using var response = await http.PostAsJsonAsync($"/v1.0/state/{OutboxStore}/transaction", new
        {
            operations = new[]
            {
                new { operation = "upsert", request = new { key = "h-1", value = new { id = "h-1", stock = 4 }, metadata = Json } },
            },
            metadata = new Dictionary<string, string> { ["type"] = "item.upserted" },
        });

        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        var delivered = Assert.Single(await _inbox.WaitForAsync(1));
        Assert.Equal(4, delivered.CloudEvent.GetProperty("data").GetProperty("stock").GetInt32());
        // daprd copies the request's metadata into each operation's, so it reaches the CloudEvent too.
        Assert.Equal("item.upserted", delivered.CloudEvent.GetProperty("type").GetString());
    }
}

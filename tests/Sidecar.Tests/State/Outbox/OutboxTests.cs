using System.Net.Http.Json;
using System.Text.Json;
using Dapr;
using Dapr.AspNetCore;
using Dapr.Client;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sidecar.Components;
using Sidecar.Components.State;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.PubSub;

namespace Sidecar.Tests.State.Outbox;

/// <summary>
/// The transactional outbox through the real SDK: a state store with <c>outboxPublishPubsub</c>/<c>outboxPublishTopic</c>
/// publishes every upsert of a committed transaction, as a CloudEvent, to a real Dapr.AspNetCore subscriber.
/// </summary>
public sealed class OutboxTests : IAsyncLifetime
{
    private const string OutboxStore = "outboxstore";
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly Dictionary<string, string> Json = new() { ["contentType"] = "application/json" };
    private readonly string _topic = PubSubHarness.NewName("items");
    private readonly string _appId = PubSubHarness.NewName("outbox-app");
    private readonly Inbox<Delivery> _inbox = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly TaskCompletionSource<DaprClient> _subscriberClient = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PubSubHarness? _harness;

    private DaprClient Client => _harness!.Sidecar.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }

        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    /// <summary>What the subscriber got: the CloudEvent as sent, and the item as the store had it when the event arrived.</summary>
    private sealed record Delivery(JsonElement CloudEvent, Item? StateAtDelivery);

    private sealed record Item(string Id, int Stock);

    private static byte[] Bytes(Item item) => JsonSerializer.SerializeToUtf8Bytes(item, Web);

    /// <summary>The event's data: JSON under <c>application/json</c>, the JSON text as a string under <c>text/plain</c>.</summary>
    private static JsonElement Data(JsonElement cloudEvent)
    {
        var data = cloudEvent.GetProperty("data");
        return data.ValueKind == JsonValueKind.String ? JsonDocument.Parse(data.GetString()!).RootElement : data;
    }

    /// <summary>
    /// An upsert published as JSON in the way that works on every store, Redis included: the saved operation carries no
    /// contentType (daprd's Redis store would write it with RedisJSON) and a projection of the same value carries it.
    /// </summary>
    private static StateTransactionRequest[] JsonPublishedUpsert(Item item) =>
    [
        new(item.Id, Bytes(item), StateOperationType.Upsert),
        new(item.Id, Bytes(item), StateOperationType.Upsert,
            metadata: new Dictionary<string, string> { ["outbox.projection"] = "true", ["contentType"] = "application/json" }),
    ];

    /// <summary>An outbox store component of <paramref name="type"/>; <paramref name="metadata"/> is extra YAML metadata entries.</summary>
    private static (string, string) OutboxStoreYaml(string type, string topic, string pubSub = "pubsub", string metadata = "") => ("outboxstore.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: {OutboxStore}
        spec:
          type: {type}
          version: v1
          metadata:
            - name: outboxPublishPubsub
              value: {pubSub}
            - name: outboxPublishTopic
              value: {topic}
        {metadata}
        """);

    private static (string, string) FaultyPubSubYaml() => ("faulty.yaml", $"""
        apiVersion: dapr.io/v1alpha1
        kind: Component
        metadata:
          name: faulty
        spec:
          type: {FaultyPubSub.Type}
          version: v1
        """);

    /// <summary>YAML metadata entries that make a store of <paramref name="type"/> work (a Redis server is started for Redis).</summary>
    private async Task<string> StoreMetadataAsync(string type, string? sqliteFile = null)
    {
        switch (type)
        {
            case "state.sqlite":
                return $"""
                        - name: databaseFile
                          value: "{sqliteFile ?? "outbox.db"}"
                    """;
            case "state.redis":
                return RedisHostMetadata(await StartRedisAsync());
            default:
                return "";
        }
    }

    private static string RedisHostMetadata(RedisServer server) => $"""
            - name: redisHost
              value: "{server.Host}"
        """;

    private async Task<RedisServer> StartRedisAsync()
    {
        var server = await RedisServer.StartAsync();
        _owned.Add(server);
        return server;
    }

    private async Task StartAsync(
        (string, string)[] resources, string pubSub = "pubsub", Func<Sidecar.Hosting.SidecarOptions, Sidecar.Hosting.SidecarOptions>? configure = null,
        Action<IServiceCollection>? configureServices = null)
    {
        _harness = await PubSubHarness.StartAsync(_appId, app =>
            app.MapPost("/items", async (JsonElement cloudEvent) =>
            {
                // An event can arrive the moment the sidecar subscribes, before the harness is handed back (an event
                // recovered at start does). Failing that delivery would lose it for good (the in-memory broker settles
                // a failed delivery), so the subscriber waits for its client instead.
                var client = await _subscriberClient.Task.WaitAsync(TimeSpan.FromSeconds(30));
                var id = Data(cloudEvent).GetProperty("id").GetString()!;
                _inbox.Add(new Delivery(cloudEvent.Clone(), await client.GetStateAsync<Item?>(OutboxStore, id)));
                return Results.Ok();
            }).WithTopic(pubSub, _topic),
            resources, useCloudEvents: false, configure: configure, configureServices: configureServices);
        _subscriberClient.SetResult(_harness.Sidecar.Client);
    }

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

    [Fact]
    public async Task FirstPublishFails_TheEventIsRetriedAndDeliveredOnce()
    {
        await StartAsync([OutboxStoreYaml("state.in-memory", _topic, pubSub: "faulty"), FaultyPubSubYaml()], pubSub: "faulty",
            configureServices: s => FaultyPubSub.Register(s, failures: 1));

        await Client.ExecuteStateTransactionAsync(OutboxStore,
            [new StateTransactionRequest("i-1", Bytes(new Item("i-1", 1)), StateOperationType.Upsert, metadata: Json)]);

        var delivered = Assert.Single(await _inbox.WaitForAsync(1));
        Assert.Equal("i-1", delivered.CloudEvent.GetProperty("data").GetProperty("id").GetString());
        var faulty = (FaultyPubSub)_harness!.Sidecar.Host.Services.GetRequiredService<IPubSubRegistry>().FindPubSub("faulty")!.Instance;
        Assert.Equal(2, faulty.Attempts);
        await _inbox.AssertStaysAtAsync(1, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task CrashBetweenCommitAndPublish_TheEventIsPublishedAtTheNextStart()
    {
        var data = Directory.CreateTempSubdirectory("outbox-data-").FullName;
        var storeMetadata = await StoreMetadataAsync("state.sqlite");
        using (var broken = new ResourcesFolder(OutboxStoreYaml("state.sqlite", _topic, pubSub: "faulty", metadata: storeMetadata), FaultyPubSubYaml()))
        {
            await using var first = await TestSidecar.StartAsync(_appId, broken.Path, o => o with { DataDirectory = data },
                configureServices: s => FaultyPubSub.Register(s, failures: int.MaxValue));
            await first.Client.ExecuteStateTransactionAsync(OutboxStore,
                [new StateTransactionRequest("i-1", Bytes(new Item("i-1", 9)), StateOperationType.Upsert, metadata: Json)]);
            var faulty = (FaultyPubSub)first.Host.Services.GetRequiredService<IPubSubRegistry>().FindPubSub("faulty")!.Instance;
            await WaitUntilAsync(() => faulty.Attempts > 0);
        }

        await StartAsync([OutboxStoreYaml("state.sqlite", _topic, metadata: storeMetadata)], configure: o => o with { DataDirectory = data });

        var delivered = Assert.Single(await _inbox.WaitForAsync(1));
        Assert.Equal((9, 9), (Data(delivered.CloudEvent).GetProperty("stock").GetInt32(), delivered.StateAtDelivery?.Stock));
    }

    [Fact]
    public async Task Shutdown_EndsTheRelayQuietly()
    {
        var logs = new CapturedLogs();
        await StartAsync([OutboxStoreYaml("state.in-memory", _topic)], configureServices: s => s.AddSingleton<ILoggerProvider>(logs));
        await Client.ExecuteStateTransactionAsync(OutboxStore,
            [new StateTransactionRequest("i-1", Bytes(new Item("i-1", 3)), StateOperationType.Upsert, metadata: Json)]);
        Assert.Single(await _inbox.WaitForAsync(1));

        await _harness!.DisposeAsync();
        _harness = null;

        // A stop is no failure: nothing at Error or above (a relay cancelled underneath a host that was never stopped
        // was reported as a crashed BackgroundService, with its stack trace, on every shutdown).
        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Embedded_TheOutboxFollowsTheDefinitionTheAppAddressed()
    {
        var data = Directory.CreateTempSubdirectory("outbox-embedded-").FullName;
        await StartAsync([OutboxStoreYaml("state.redis", _topic, metadata: """
                - name: redisHost
                  value: "localhost:6379"
            """)], configure: o => o with { Embedded = true, DataDirectory = data });

        await Client.ExecuteStateTransactionAsync("statestore",
            [new StateTransactionRequest("i-0", Bytes(new Item("i-0", 1)), StateOperationType.Upsert, metadata: Json)]);
        await Client.ExecuteStateTransactionAsync(OutboxStore,
            [new StateTransactionRequest("i-1", Bytes(new Item("i-1", 1)), StateOperationType.Upsert, metadata: Json)]);

        var delivered = Assert.Single(await _inbox.WaitForAsync(1));
        Assert.Equal("i-1", delivered.CloudEvent.GetProperty("data").GetProperty("id").GetString());
        await _inbox.AssertStaysAtAsync(1, TimeSpan.FromMilliseconds(300));
        var registry = _harness!.Sidecar.Host.Services.GetRequiredService<IStateStoreRegistry>();
        Assert.Same(registry.FindStateStore("statestore")!.Instance, registry.FindStateStore(OutboxStore)!.Instance);
        // Both definitions prefix keys with the app id, so what one writes the other reads (as two daprd components
        // over one Redis do): an app can write through its outbox component and read through its usual one.
        Assert.Equal(new Item("i-1", 1), await Client.GetStateAsync<Item>("statestore", "i-1"));
    }

    [Fact]
    public async Task HalfAnOutboxConfiguration_FailsTheStartNamingTheComponent()
    {
        using var resources = new ResourcesFolder(("outboxstore.yaml", """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: outboxstore
            spec:
              type: state.in-memory
              version: v1
              metadata:
                - name: outboxPublishPubsub
                  value: pubsub
            """));

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync(_appId, resources.Path));

        Assert.Equal(
            $"{Path.Combine(resources.Path, "outboxstore.yaml")}:1: component 'outboxstore' (state.in-memory) sets 'outboxPublishPubsub' but not 'outboxPublishTopic'; the outbox needs both",
            ex.Message);
    }

    [Fact]
    public async Task OutboxPubSubThatIsNotAComponent_FailsTheStart()
    {
        using var resources = new ResourcesFolder(OutboxStoreYaml("state.in-memory", _topic, pubSub: "nowhere"));

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync(_appId, resources.Path));

        Assert.Contains("component 'outboxstore' (state.in-memory) has outboxPublishPubsub 'nowhere', which is not a pub/sub component", ex.Message, StringComparison.Ordinal);
    }

    private IStateStore RawStore() =>
        (IStateStore)_harness!.Sidecar.Host.Services.GetRequiredService<IStateStoreRegistry>().FindStateStore(OutboxStore)!.Instance;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 20)
        {
            Assert.True(waited < 5000, "condition not met within 5 s");
            await Task.Delay(20);
        }
    }
}

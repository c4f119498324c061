using System.Text.Json;
using Dapr.AspNetCore;
using Dapr.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Sidecar.Components;
using Sidecar.Components.State;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.PubSub;

namespace Sidecar.Tests.State.Outbox;

/// <summary>
/// The transactional outbox through the real SDK: a state store with <c>outboxPublishPubsub</c>/<c>outboxPublishTopic</c>
/// publishes every upsert of a committed transaction, as a CloudEvent, to a real Dapr.AspNetCore subscriber. This file
/// is the harness; the tests are in the partial files by topic (what is published, failures and restarts, configuration).
/// </summary>
public sealed partial class OutboxTests : IAsyncLifetime
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

using Dapr.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sidecar.Components;
using Sidecar.Components.State;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.State.Outbox;

/// <summary>
/// A broker that refuses publishes, a crash between commit and publish, and a stop: the event is delivered once, later,
/// and the relay ends quietly.
/// </summary>
public sealed partial class OutboxTests
{
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
    public async Task RecoveryScanThatFailsAtTheNextStart_IsRetried_AndTheEventIsPublished()
    {
        var store = new FlakyScanStateStore(new InMemoryStateStore(TimeProvider.System));
        using (var broken = new ResourcesFolder(OutboxStoreYaml(FlakyScanStateStore.Type, _topic, pubSub: "faulty"), FaultyPubSubYaml()))
        {
            await using var first = await TestSidecar.StartAsync(_appId, broken.Path,
                configureServices: s => { FaultyPubSub.Register(s, failures: int.MaxValue); store.Register(s); });
            await first.Client.ExecuteStateTransactionAsync(OutboxStore,
                [new StateTransactionRequest("i-1", Bytes(new Item("i-1", 4)), StateOperationType.Upsert, metadata: Json)]);
            var faulty = (FaultyPubSub)first.Host.Services.GetRequiredService<IPubSubRegistry>().FindPubSub("faulty")!.Instance;
            await WaitUntilAsync(() => faulty.Attempts > 0);
        }

        // The restarted sidecar's first two scans fail (the store is still starting): the relay tries again, 0.5 s
        // then 1 s later, instead of leaving the committed event for the start after.
        store.FailNextScans(2);
        await StartAsync([OutboxStoreYaml(FlakyScanStateStore.Type, _topic)], configureServices: store.Register);

        var delivered = Assert.Single(await _inbox.WaitForAsync(1));
        Assert.Equal((4, 2), (Data(delivered.CloudEvent).GetProperty("stock").GetInt32(), store.FailedScans));
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
}

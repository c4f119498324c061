using Dapr.Client;
using Microsoft.Extensions.DependencyInjection;
using Sidecar.Components;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.State.Outbox;

/// <summary>
/// How the outbox is configured: under <c>--embedded</c>, and the start failing on half a configuration or an unknown
/// pub/sub.
/// </summary>
public sealed partial class OutboxTests
{
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
}

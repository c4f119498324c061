using Microsoft.Extensions.DependencyInjection;
using Sidecar.Components;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Components;

/// <summary>Which components a sidecar can serve, and what <c>--embedded</c> substitutes.</summary>
public sealed class ComponentStartupTests
{
    [Fact]
    public async Task Start_WithUnknownStateType_FailsNamingFileAndType()
    {
        using var resources = StateResources.Store("state.mongodb", [new("host", "localhost:27017")]);

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("app", resources.Path));

        Assert.Equal(
            $"{Path.Combine(resources.Path, "statestore.yaml")}: component 'statestore' has type 'state.mongodb', which the local sidecar cannot serve; run with --embedded to use the built-in SQLite store",
            ex.Message);
    }

    [Fact]
    public async Task Start_Embedded_ServesRedisStoreWithSqliteAndKeepsActorMetadata()
    {
        using var resources = StateResources.Redis();
        await using var sidecar = await TestSidecar.StartAsync("app", resources.Path, o => o with { Embedded = true });

        await sidecar.Client.SaveStateAsync("statestore", "k", "v");

        Assert.Equal("v", await sidecar.Client.GetStateAsync<string>("statestore", "k"));
        Assert.True(File.Exists(Path.Combine(sidecar.Options.DataDirectory, "state.db")));
        var registry = sidecar.Host.Services.GetRequiredService<IStateStoreRegistry>();
        Assert.Equal("statestore", registry.ActorStateStore?.Name);
        var metadata = await sidecar.Client.GetMetadataAsync();
        var component = Assert.Single(metadata.Components, c => c.Name == "statestore");
        Assert.Equal("state.redis", component.Type);
        Assert.Contains("ACTOR", component.Capabilities);
    }

    [Fact]
    public async Task Embedded_TwoAppsOfOneRun_ShareOneStoreButNotEachOthersKeys()
    {
        using var resources = StateResources.Redis();
        await using var network = new SidecarNetwork();
        await using var catalog = await TestSidecar.StartAsync("catalog", resources.Path, o => o with { Embedded = true }, network);
        await using var orders = await TestSidecar.StartAsync("orders", resources.Path, o => o with { Embedded = true }, network);

        await catalog.Client.SaveStateAsync("statestore", "shared-key", "catalog's");
        await orders.Client.SaveStateAsync("statestore", "shared-key", "orders'");

        Assert.Equal("catalog's", await catalog.Client.GetStateAsync<string>("statestore", "shared-key"));
        Assert.Equal("orders'", await orders.Client.GetStateAsync<string>("statestore", "shared-key"));
        var catalogStore = catalog.Host.Services.GetRequiredService<IStateStoreRegistry>().FindStateStore("statestore")!.Instance;
        var ordersStore = orders.Host.Services.GetRequiredService<IStateStoreRegistry>().FindStateStore("statestore")!.Instance;
        Assert.Same(catalogStore, ordersStore);
    }

    [Fact]
    public async Task Embedded_RepositoryComponents_ServeRedisPubSubWithOneBrokerForTheRun()
    {
        var components = RepositoryComponentsTests.ComponentsFolder();
        var data = Directory.CreateTempSubdirectory("embedded-run-").FullName;
        await using var network = new SidecarNetwork();
        SidecarOptions Embedded(SidecarOptions o) => o with { ResourcesPaths = [components], Embedded = true, DataDirectory = data };
        await using var catalog = await TestSidecar.StartAsync("catalog", components, Embedded, network);
        await using var orders = await TestSidecar.StartAsync("orders", components, Embedded, network);

        var catalogPubSub = catalog.Host.Services.GetRequiredService<IPubSubRegistry>().FindPubSub("pubsub");
        var ordersPubSub = orders.Host.Services.GetRequiredService<IPubSubRegistry>().FindPubSub("pubsub");

        Assert.NotNull(catalogPubSub);
        Assert.Equal("pubsub.redis", catalogPubSub.Definition.Type);
        Assert.Same(catalogPubSub.Instance, ordersPubSub?.Instance);
        Assert.Equal("embedded broker", catalogPubSub.SubstitutedBy);
    }

    [Fact]
    public async Task Start_WithSqliteStore_ReportsItsCapabilities()
    {
        using var resources = StateResources.Sqlite();
        await using var sidecar = await TestSidecar.StartAsync("app", resources.Path);

        var metadata = await sidecar.Client.GetMetadataAsync();

        var component = Assert.Single(metadata.Components);
        Assert.Equal(("statestore", "state.sqlite", "v1"), (component.Name, component.Type, component.Version));
        Assert.Equal(["ETAG", "TRANSACTIONAL", "TTL", "ACTOR"], component.Capabilities);
    }
}

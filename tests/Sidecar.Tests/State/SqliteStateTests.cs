using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.State;

/// <summary>The SQLite store behind a real sidecar: durability across restarts and key prefixes between apps.</summary>
public sealed class SqliteStateTests
{
    [Fact]
    public async Task Write_SurvivesARestartOfTheSidecar()
    {
        using var resources = StateResources.Sqlite();
        var key = "durable-" + Guid.NewGuid().ToString("N");
        await using (var first = await TestSidecar.StartAsync("app", resources.Path))
        {
            await first.Client.SaveStateAsync("statestore", key, "kept");
        }

        await using var second = await TestSidecar.StartAsync("app", resources.Path);

        var (value, etag) = await second.Client.GetStateAndETagAsync<string>("statestore", key);
        Assert.Equal("kept", value);
        Assert.NotEmpty(etag);
    }

    [Fact]
    public async Task TwoAppIds_OnOneDatabase_DoNotSeeEachOthersKeys()
    {
        using var resources = StateResources.Sqlite();
        await using var catalog = await TestSidecar.StartAsync("catalog", resources.Path);
        await using var orders = await TestSidecar.StartAsync("orders", resources.Path);

        await catalog.Client.SaveStateAsync("statestore", "item-1", "catalog's");

        Assert.Null(await orders.Client.GetStateAsync<string>("statestore", "item-1"));
        Assert.Equal("catalog's", await catalog.Client.GetStateAsync<string>("statestore", "item-1"));
    }

    [Fact]
    public async Task KeyPrefixNone_LetsAppsShareKeys()
    {
        using var resources = StateResources.Sqlite(keyPrefix: "none");
        await using var catalog = await TestSidecar.StartAsync("catalog", resources.Path);
        await using var orders = await TestSidecar.StartAsync("orders", resources.Path);

        await catalog.Client.SaveStateAsync("statestore", "shared", "one value");

        Assert.Equal("one value", await orders.Client.GetStateAsync<string>("statestore", "shared"));
    }
}

using Sidecar.Components;
using Sidecar.Components.Configuration;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Configuration;

/// <summary>
/// Under <c>--embedded</c> a <c>configuration.redis</c> component is served by the embedded store in the run's state
/// file, whose items are set as <c>dapr-local configuration set</c> sets them; subscribers see the changes.
/// </summary>
public sealed class EmbeddedConfigurationTests
{
    [Fact]
    public async Task Embedded_ServesTheStoreFromTheStateFile_AndDeliversChangesToSubscribers()
    {
        using var folder = new ResourcesFolder(ConfigurationResources.Redis("config", "unreachable.invalid:6379"));
        var dataDirectory = Path.Combine(folder.Path, ".dapr");
        Directory.CreateDirectory(dataDirectory);
        var table = new SqliteConfigurationTable(EmbeddedComponents.StateDatabaseFile(dataDirectory));
        await table.SetAsync("config", "mode", "fast", "1", CancellationToken.None);
        await using var sidecar = await TestSidecar.StartAsync("cfg-embedded", folder.Path, o => o with { Embedded = true });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var read = await sidecar.Client.GetConfiguration("config", ["mode"]);
        var subscription = await sidecar.Client.SubscribeConfiguration("config", [], cancellationToken: timeout.Token);
        await using var changes = subscription.Source.GetAsyncEnumerator(timeout.Token);
        await changes.MoveNextAsync();
        await table.SetAsync("config", "mode", "safe", "2", CancellationToken.None);
        await table.SetAsync("other-store", "mode", "elsewhere", "1", CancellationToken.None);
        await changes.MoveNextAsync();
        var changed = Assert.Single(changes.Current);
        await table.SetAsync("config", "mode", null, "", CancellationToken.None);
        await changes.MoveNextAsync();
        var deleted = Assert.Single(changes.Current);
        var afterDelete = await sidecar.Client.GetConfiguration("config", ["mode"]);

        Assert.Equal("fast", read.Items["mode"].Value);
        Assert.Equal("1", read.Items["mode"].Version);
        Assert.Equal(("mode", "safe", "2"), (changed.Key, changed.Value.Value, changed.Value.Version));
        Assert.Equal(("mode", ""), (deleted.Key, deleted.Value.Value));
        Assert.Empty(afterDelete.Items);
    }
}

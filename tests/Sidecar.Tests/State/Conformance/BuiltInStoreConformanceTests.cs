using Dapr;
using Dapr.Client;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.State.Conformance;

/// <summary>
/// The rules the built-in stores keep beyond the common suite: all-or-nothing transactions, ETags checked against a
/// missing item, first-write refused on any existing item, a TTL replaced by every write. Time is a fake clock.
/// </summary>
public abstract class BuiltInStoreConformanceTests : StateConformanceTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    /// <summary>The component type under test.</summary>
    protected abstract string Type { get; }

    /// <summary>Metadata the type needs besides the common ones.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> TypeMetadata => [];

    protected override ResourcesFolder CreateResources(string? keyPrefix = null, IReadOnlyDictionary<string, string>? metadata = null) =>
        StateResources.Store(Type, [
            .. TypeMetadata,
            new("actorStateStore", "true"),
            new("keyPrefix", keyPrefix),
            .. (metadata ?? new Dictionary<string, string>()).Select(m => new KeyValuePair<string, string?>(m.Key, m.Value)),
        ]);

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_time);

    protected override Task PassTimeAsync(TimeSpan duration)
    {
        _time.Advance(duration);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Transaction_WhenOneETagFails_AppliesNothing()
    {
        var (_, other) = await FailTransactionOnStaleETagAsync();

        Assert.Null(await Client.GetStateAsync<Widget>(Store, other));
    }

    [Fact]
    public async Task FirstWrite_OnAnItemWrittenWithoutIt_FailsWithAborted()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1));

        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.SaveStateAsync(Store, key, new Widget("b", 2), FirstWrite));

        Assert.Equal(StatusCode.Aborted, StatusOf(ex));
    }

    [Fact]
    public async Task FirstWrite_Twice_FailsWithAborted()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1), FirstWrite);

        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.SaveStateAsync(Store, key, new Widget("b", 2), FirstWrite));

        Assert.Equal(StatusCode.Aborted, StatusOf(ex));
    }

    [Fact]
    public async Task TrySave_WithStaleETagOnADeletedItem_ReturnsFalse()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1));
        var (_, etag) = await Client.GetStateAndETagAsync<Widget>(Store, key);
        await Client.DeleteStateAsync(Store, key);

        Assert.False(await Client.TrySaveStateAsync(Store, key, new Widget("b", 2), etag));
        Assert.Null(await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task TryDelete_OfAMissingItemWithAnETag_ReturnsFalse()
    {
        Assert.False(await Client.TryDeleteStateAsync(Store, NewKey(), "1"));
    }

    [Fact]
    public async Task TryDelete_WithMalformedETag_SurfacesInvalidArgument()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1));

        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.TryDeleteStateAsync(Store, key, "not-an-etag"));

        Assert.Equal(StatusCode.InvalidArgument, StatusOf(ex));
    }

    [Fact]
    public async Task Overwrite_WithoutTtl_ClearsTheEarlierTtl()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1), metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "1" });
        await Client.SaveStateAsync(Store, key, new Widget("a", 2));

        await PassTimeAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(new Widget("a", 2), await Client.GetStateAsync<Widget>(Store, key));
    }
}

/// <summary>The conformance suite against <c>state.in-memory</c>.</summary>
public sealed class InMemoryStateConformanceTests : BuiltInStoreConformanceTests
{
    protected override string Type => "state.in-memory";
}

/// <summary>The conformance suite against <c>state.sqlite</c>.</summary>
public sealed class SqliteStateConformanceTests : BuiltInStoreConformanceTests
{
    protected override string Type => "state.sqlite";

    protected override IEnumerable<KeyValuePair<string, string?>> TypeMetadata => [new("databaseFile", "state.db")];
}

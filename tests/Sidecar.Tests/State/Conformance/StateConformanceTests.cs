using System.Globalization;
using System.Text;
using Dapr;
using Dapr.Client;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Sidecar.Components;
using Sidecar.Components.State;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.State.Conformance;

/// <summary>
/// The state API as the real <see cref="DaprClient"/> uses it (gRPC) against a real sidecar, written once and run
/// unchanged against every state store type. Rules that a store keeps differently from the others (Redis does not roll
/// transactions back, for one) are tested in that store's class, under a name that says so.
/// </summary>
public abstract class StateConformanceTests : IAsyncLifetime
{
    protected const string Store = "statestore";
    protected const string AppId = "state-app";
    private readonly List<IAsyncDisposable> _started = [];
    private readonly List<ResourcesFolder> _folders = [];

    protected TestSidecar Sidecar { get; private set; } = null!;

    protected DaprClient Client => Sidecar.Client;

    /// <summary>A resources folder with a store named <see cref="Store"/> of the type under test.</summary>
    protected abstract ResourcesFolder CreateResources(string? keyPrefix = null, IReadOnlyDictionary<string, string>? metadata = null);

    /// <summary>Lets <paramref name="duration"/> pass for the store's clock (a fake clock advanced, or real time waited).</summary>
    protected abstract Task PassTimeAsync(TimeSpan duration);

    /// <summary>Services to replace in every sidecar of the test (e.g. a fake clock).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual async Task InitializeAsync() => Sidecar = await StartAsync(AppId, Folder());

    public virtual async Task DisposeAsync()
    {
        foreach (var started in Enumerable.Reverse(_started))
        {
            await started.DisposeAsync();
        }

        foreach (var folder in _folders)
        {
            folder.Dispose();
        }
    }

    /// <summary>A resources folder for this test, deleted with it.</summary>
    protected ResourcesFolder Folder(string? keyPrefix = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var folder = CreateResources(keyPrefix, metadata);
        _folders.Add(folder);
        return folder;
    }

    /// <summary>Another sidecar over <paramref name="resources"/>, stopped with the test.</summary>
    protected async Task<TestSidecar> StartAsync(string appId, ResourcesFolder resources)
    {
        var sidecar = await TestSidecar.StartAsync(appId, resources.Path, configureServices: ConfigureServices);
        _started.Add(sidecar);
        return sidecar;
    }

    protected static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    protected static StatusCode StatusOf(DaprException ex) => Assert.IsType<RpcException>(ex.InnerException).StatusCode;

    protected static byte[] Serialize(Widget widget) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(widget, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));

    protected static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    /// <summary>The store behind <paramref name="sidecar"/>'s <see cref="Store"/>, read below the key prefixing.</summary>
    protected static IStateStore RawStore(TestSidecar sidecar) =>
        (IStateStore)sidecar.Host.Services.GetRequiredService<IStateStoreRegistry>().FindStateStore(Store)!.Instance;

    /// <summary>The <c>ttlExpireTime</c> the HTTP API reports for <paramref name="key"/>, or null.</summary>
    protected async Task<DateTimeOffset?> TtlExpireTimeAsync(string key)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Sidecar.HttpEndpoint) };
        using var response = await http.GetAsync($"/v1.0/state/{Store}/{key}");
        return response.Headers.TryGetValues("metadata.ttlExpireTime", out var values)
            ? DateTimeOffset.Parse(values.Single(), CultureInfo.InvariantCulture)
            : null;
    }

    [Fact]
    public async Task SaveThenGet_ReturnsTheValue()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("blue", 3));

        Assert.Equal(new Widget("blue", 3), await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task Get_MissingKey_ReturnsDefaultAndEmptyETag()
    {
        var (value, etag) = await Client.GetStateAndETagAsync<Widget>(Store, NewKey());

        Assert.Null(value);
        Assert.Equal("", etag);
    }

    [Fact]
    public async Task Save_EachWrite_MakesANewETag()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1));
        var (_, first) = await Client.GetStateAndETagAsync<Widget>(Store, key);
        await Client.SaveStateAsync(Store, key, new Widget("a", 2));
        var (_, second) = await Client.GetStateAndETagAsync<Widget>(Store, key);

        Assert.NotEmpty(first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task TrySave_WithCurrentETag_SucceedsAndWithStaleETag_ReturnsFalse()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1));
        var (_, etag) = await Client.GetStateAndETagAsync<Widget>(Store, key);

        Assert.True(await Client.TrySaveStateAsync(Store, key, new Widget("b", 2), etag));
        Assert.False(await Client.TrySaveStateAsync(Store, key, new Widget("c", 3), etag));
        Assert.Equal(new Widget("b", 2), await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task Save_WithStaleETag_FailsWithAborted()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1));
        var (_, stale) = await Client.GetStateAndETagAsync<Widget>(Store, key);
        await Client.SaveStateAsync(Store, key, new Widget("a", 2));

        var ex = await Assert.ThrowsAsync<DaprException>(() =>
            Client.SaveBulkStateAsync(Store, [new SaveStateItem<Widget>(key, new Widget("a", 3), stale)]));

        Assert.Equal(StatusCode.Aborted, StatusOf(ex));
    }

    [Fact]
    public async Task TrySave_WithMalformedETag_SurfacesInvalidArgument()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1));

        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.TrySaveStateAsync(Store, key, new Widget("b", 2), "not-an-etag"));

        Assert.Equal(StatusCode.InvalidArgument, StatusOf(ex));
    }

    [Fact]
    public async Task FirstWrite_WithCurrentETag_Succeeds()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1), FirstWrite);
        var (_, etag) = await Client.GetStateAndETagAsync<Widget>(Store, key);

        Assert.True(await Client.TrySaveStateAsync(Store, key, new Widget("b", 2), etag, FirstWrite));
        Assert.Equal(new Widget("b", 2), await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task FirstWrite_OnAMissingItem_Creates()
    {
        var key = NewKey();

        await Client.SaveStateAsync(Store, key, new Widget("a", 1), FirstWrite);

        Assert.Equal(new Widget("a", 1), await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task FirstWrite_Twice_FailsTheSecondWrite()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1), FirstWrite);

        await Assert.ThrowsAsync<DaprException>(() => Client.SaveStateAsync(Store, key, new Widget("b", 2), FirstWrite));

        Assert.Equal(new Widget("a", 1), await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task LastWrite_WithoutETag_Overwrites()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1));

        await Client.SaveStateAsync(Store, key, new Widget("b", 2), new StateOptions { Concurrency = ConcurrencyMode.LastWrite });

        Assert.Equal(new Widget("b", 2), await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task DeleteAndTryDelete_HonourETags()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1));
        var (_, etag) = await Client.GetStateAndETagAsync<Widget>(Store, key);
        await Client.SaveStateAsync(Store, key, new Widget("b", 2));

        Assert.False(await Client.TryDeleteStateAsync(Store, key, etag));
        var (_, current) = await Client.GetStateAndETagAsync<Widget>(Store, key);
        Assert.True(await Client.TryDeleteStateAsync(Store, key, current));
        Assert.Null(await Client.GetStateAsync<Widget>(Store, key));

        var other = NewKey();
        await Client.SaveStateAsync(Store, other, new Widget("c", 3));
        await Client.DeleteStateAsync(Store, other);
        Assert.Null(await Client.GetStateAsync<Widget>(Store, other));
    }

    [Fact]
    public async Task Delete_MissingKeyWithoutETag_Succeeds()
    {
        await Client.DeleteStateAsync(Store, NewKey());
    }

    [Fact]
    public async Task GetBulk_ReturnsOneItemPerKeyAsked()
    {
        var (a, b, missing) = (NewKey(), NewKey(), NewKey());
        await Client.SaveStateAsync(Store, a, new Widget("a", 1));
        await Client.SaveStateAsync(Store, b, new Widget("b", 2));

        var items = await Client.GetBulkStateAsync<Widget>(Store, [a, b, missing], parallelism: 2);

        Assert.Equal(new[] { a, b, missing }.Order(), items.Select(i => i.Key).Order());
        Assert.Equal(new Widget("a", 1), items.Single(i => i.Key == a).Value);
        Assert.Equal(new Widget("b", 2), items.Single(i => i.Key == b).Value);
        Assert.Null(items.Single(i => i.Key == missing).Value);
        Assert.NotEmpty(items.Single(i => i.Key == a).ETag);
    }

    [Fact]
    public async Task DeleteBulk_RemovesEveryKey()
    {
        var (a, b) = (NewKey(), NewKey());
        await Client.SaveStateAsync(Store, a, new Widget("a", 1));
        await Client.SaveStateAsync(Store, b, new Widget("b", 2));

        await Client.DeleteBulkStateAsync(Store, [new BulkDeleteStateItem(a, ""), new BulkDeleteStateItem(b, "")]);

        Assert.Null(await Client.GetStateAsync<Widget>(Store, a));
        Assert.Null(await Client.GetStateAsync<Widget>(Store, b));
    }

    [Fact]
    public async Task Transaction_WithGoodETags_AppliesEveryOperation()
    {
        var (a, b) = (NewKey(), NewKey());
        await Client.SaveStateAsync(Store, a, new Widget("a", 1));
        var (_, etag) = await Client.GetStateAndETagAsync<Widget>(Store, a);

        await Client.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(b, Serialize(new Widget("b", 2)), StateOperationType.Upsert),
            new StateTransactionRequest(a, null, StateOperationType.Delete, etag),
        ]);

        Assert.Null(await Client.GetStateAsync<Widget>(Store, a));
        Assert.Equal(new Widget("b", 2), await Client.GetStateAsync<Widget>(Store, b));
    }

    [Fact]
    public async Task Transaction_WithOneStaleETag_FailsWithInternalAndLeavesTheStaleItemAlone()
    {
        var (a, b) = (NewKey(), NewKey());
        await Client.SaveStateAsync(Store, a, new Widget("a", 1));
        var (_, stale) = await Client.GetStateAndETagAsync<Widget>(Store, a);
        await Client.SaveStateAsync(Store, a, new Widget("a", 2));

        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(b, Serialize(new Widget("b", 1)), StateOperationType.Upsert),
            new StateTransactionRequest(a, Serialize(new Widget("a", 3)), StateOperationType.Upsert, stale),
        ]));

        Assert.Equal(StatusCode.Internal, StatusOf(ex));
        Assert.Equal(new Widget("a", 2), await Client.GetStateAsync<Widget>(Store, a));
    }

    [Fact]
    public async Task Transaction_SeesItsOwnEarlierOperations()
    {
        var key = NewKey();

        await Client.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(key, Serialize(new Widget("a", 1)), StateOperationType.Upsert),
            new StateTransactionRequest(key, null, StateOperationType.Delete),
            new StateTransactionRequest(key, Serialize(new Widget("c", 3)), StateOperationType.Upsert),
        ]);

        Assert.Equal(new Widget("c", 3), await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task Save_WithTtl_ReportsTtlExpireTimeAndExpiresWhenTheTimeComes()
    {
        var key = NewKey();
        var before = DateTimeOffset.UtcNow;
        await Client.SaveStateAsync(Store, key, new Widget("a", 1), metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "1" });

        var expires = await TtlExpireTimeAsync(key);
        Assert.NotNull(expires);
        Assert.InRange(expires.Value, before.AddSeconds(-1), before.AddSeconds(3));
        Assert.NotNull(await Client.GetStateAsync<Widget>(Store, key));

        await PassTimeAsync(TimeSpan.FromSeconds(2));
        Assert.Null(await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task Save_WithNegativeTtl_RemovesAnEarlierTtl()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1), metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "1" });
        await Client.SaveStateAsync(Store, key, new Widget("a", 2), metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "-1" });

        await PassTimeAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(new Widget("a", 2), await Client.GetStateAsync<Widget>(Store, key));
        Assert.Null(await TtlExpireTimeAsync(key));
    }

    [Fact]
    public async Task Transaction_UpsertWithTtl_Expires()
    {
        var key = NewKey();
        await Client.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(key, Serialize(new Widget("a", 1)), StateOperationType.Upsert,
                metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "1" }),
        ]);

        Assert.NotNull(await TtlExpireTimeAsync(key));
        await PassTimeAsync(TimeSpan.FromSeconds(2));

        Assert.Null(await Client.GetStateAsync<Widget>(Store, key));
    }

    [Theory]
    [InlineData(null, AppId + "||")]
    [InlineData("appid", AppId + "||")]
    [InlineData("name", Store + "||")]
    [InlineData("none", "")]
    [InlineData("shared-prefix", "shared-prefix||")]
    public async Task KeyPrefix_DecidesTheStoredKey(string? keyPrefix, string storedPrefix)
    {
        var sidecar = keyPrefix is null ? Sidecar : await StartAsync(AppId, Folder(keyPrefix));
        var key = NewKey();

        await sidecar.Client.SaveStateAsync(Store, key, "value");

        var stored = await RawStore(sidecar).GetAsync(storedPrefix + key, default);
        Assert.Equal("\"value\"", Encoding.UTF8.GetString(stored!.Value));
    }

    [Fact]
    public async Task KeyScan_ListsTheLiveKeysWithAPrefix_TakingGlobCharactersLiterally()
    {
        var store = RawStore(Sidecar);
        var prefix = $"scan*[{Guid.NewGuid():N}]?||";
        foreach (var key in new[] { prefix + "a", prefix + "b", prefix.Replace("*", "x", StringComparison.Ordinal) + "c", "other||" + prefix + "d" })
        {
            await store.SetAsync(new StateSetOperation(key, "1"u8.ToArray(), null, Concurrency.LastWrite, null), default);
        }

        await store.SetAsync(new StateSetOperation(prefix + "expiring", "1"u8.ToArray(), null, Concurrency.LastWrite,
            DateTimeOffset.UtcNow.AddSeconds(1), TtlSeconds: 1), default);
        await PassTimeAsync(TimeSpan.FromSeconds(2));

        var keys = await ((IStateKeyScan)store).KeysWithPrefixAsync(prefix, default);

        Assert.Equal([prefix + "a", prefix + "b"], keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task KeyWithDoublePipe_IsRejectedWithInvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.SaveStateAsync(Store, "other-app||secret", new Widget("x", 1)));

        Assert.Equal(StatusCode.InvalidArgument, StatusOf(ex));
    }

    [Fact]
    public async Task UnknownStore_IsRejectedWithInvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.GetStateAsync<Widget>("no-such-store", NewKey()));

        Assert.Equal(StatusCode.InvalidArgument, StatusOf(ex));
        Assert.Contains("state store no-such-store is not found", ex.InnerException!.Message, StringComparison.Ordinal);
    }

    protected sealed record Widget(string Color, int Size);
}

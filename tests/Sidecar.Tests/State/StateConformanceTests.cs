using Dapr;
using Dapr.Client;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.State;

/// <summary>The state API as the real <see cref="DaprClient"/> uses it (gRPC), against a real sidecar.</summary>
public sealed class StateConformanceTests : IAsyncLifetime
{
    private const string Store = "statestore";
    private readonly ResourcesFolder _resources = ResourcesFolder.InMemory();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestSidecar _sidecar = null!;

    private DaprClient Client => _sidecar.Client;

    public async Task InitializeAsync() =>
        _sidecar = await TestSidecar.StartAsync("state-app", _resources.Path, configureServices: s => s.AddSingleton<TimeProvider>(_time));

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        _resources.Dispose();
    }

    private static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    private static StatusCode StatusOf(DaprException ex) => Assert.IsType<RpcException>(ex.InnerException).StatusCode;

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
    public async Task Save_FirstWriteOnExistingItem_FailsWithAborted()
    {
        var key = NewKey();
        var firstWrite = new StateOptions { Concurrency = ConcurrencyMode.FirstWrite };
        await Client.SaveStateAsync(Store, key, new Widget("a", 1), firstWrite);

        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.SaveStateAsync(Store, key, new Widget("b", 2), firstWrite));

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
    public async Task Transaction_WithOneStaleETag_AppliesNothingAndFailsWithInternal()
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
        Assert.Null(await Client.GetStateAsync<Widget>(Store, b));
        Assert.Equal(new Widget("a", 2), await Client.GetStateAsync<Widget>(Store, a));
    }

    [Fact]
    public async Task Save_WithTtl_ExpiresWhenTheTimeComes()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1), metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "30" });

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.NotNull(await Client.GetStateAsync<Widget>(Store, key));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task Save_WithNegativeTtl_NeverExpires()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1), metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "-1" });

        _time.Advance(TimeSpan.FromDays(365));

        Assert.NotNull(await Client.GetStateAsync<Widget>(Store, key));
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

    private static byte[] Serialize(Widget widget) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(widget, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));

    private sealed record Widget(string Color, int Size);
}

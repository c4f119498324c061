using Dapr;
using Dapr.Client;
using Grpc.Core;

namespace Sidecar.Tests.State.Conformance;

/// <summary>Reads, writes and deletes, one key or many, and how ETags and the concurrency mode guard them.</summary>
public abstract partial class StateConformanceTests
{
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
}

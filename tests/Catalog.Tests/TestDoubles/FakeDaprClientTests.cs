using System.Net;
using Dapr;
using Dapr.Client;
using TestDoubles;

namespace Catalog.Tests.TestDoubles;

/// <summary>The catalog's concurrency tests are only as honest as the double's state semantics; these pin them down.</summary>
public class FakeDaprClientTests
{
    private const string Store = "statestore";
    private static readonly StateOptions FirstWrite = new() { Concurrency = ConcurrencyMode.FirstWrite };

    [Fact]
    public async Task GetStateAndETag_WhenMissing_ReturnsDefaultAndEmptyETag()
    {
        using var dapr = new FakeDaprClient();

        var (value, etag) = await dapr.GetStateAndETagAsync<string>(Store, "missing");

        Assert.Null(value);
        Assert.Equal(string.Empty, etag);
    }

    [Fact]
    public async Task EveryWrite_MakesANewETag()
    {
        using var dapr = new FakeDaprClient();
        await dapr.SaveStateAsync(Store, "k", 1);
        var (_, first) = await dapr.GetStateAndETagAsync<int>(Store, "k");

        await dapr.SaveStateAsync(Store, "k", 1);

        var (_, second) = await dapr.GetStateAndETagAsync<int>(Store, "k");
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task TrySave_WithStaleETag_ReturnsFalseAndKeepsTheValue()
    {
        using var dapr = new FakeDaprClient();
        await dapr.SaveStateAsync(Store, "k", 1);
        var (_, stale) = await dapr.GetStateAndETagAsync<int>(Store, "k");
        await dapr.SaveStateAsync(Store, "k", 2);

        Assert.False(await dapr.TrySaveStateAsync(Store, "k", 3, stale, FirstWrite));
        Assert.Equal(2, await dapr.GetStateAsync<int>(Store, "k"));
    }

    [Fact]
    public async Task TrySave_WithCurrentETag_Writes()
    {
        using var dapr = new FakeDaprClient();
        await dapr.SaveStateAsync(Store, "k", 1);
        var (_, etag) = await dapr.GetStateAndETagAsync<int>(Store, "k");

        Assert.True(await dapr.TrySaveStateAsync(Store, "k", 2, etag, FirstWrite));
        Assert.Equal(2, await dapr.GetStateAsync<int>(Store, "k"));
    }

    [Fact]
    public async Task FirstWriteWithoutETag_CreatesOnceThenFailsAsAPlainErrorAsRedisAnswers()
    {
        using var dapr = new FakeDaprClient();

        Assert.True(await dapr.TrySaveStateAsync(Store, "k", 1, string.Empty, FirstWrite));
        var error = await Assert.ThrowsAsync<DaprException>(() => dapr.TrySaveStateAsync(Store, "k", 2, string.Empty, FirstWrite));
        await Assert.ThrowsAsync<DaprException>(() => dapr.SaveStateAsync(Store, "k", 3, FirstWrite));
        Assert.Equal(Grpc.Core.StatusCode.Internal, Assert.IsType<Grpc.Core.RpcException>(error.InnerException).StatusCode);
        Assert.Equal(1, await dapr.GetStateAsync<int>(Store, "k"));
    }

    [Fact]
    public async Task FirstWriteWithoutETag_OnAKeyWrittenWithoutFirstWrite_OverwritesIt()
    {
        using var dapr = new FakeDaprClient();
        await dapr.SaveStateAsync(Store, "k", 1);

        Assert.True(await dapr.TrySaveStateAsync(Store, "k", 2, string.Empty, FirstWrite));
        Assert.Equal(2, await dapr.GetStateAsync<int>(Store, "k"));
    }

    [Fact]
    public async Task TrySave_WithStaleETag_OnADeletedKey_RecreatesIt()
    {
        using var dapr = new FakeDaprClient();
        await dapr.SaveStateAsync(Store, "k", 1);
        var (_, stale) = await dapr.GetStateAndETagAsync<int>(Store, "k");
        await dapr.DeleteStateAsync(Store, "k");

        Assert.True(await dapr.TrySaveStateAsync(Store, "k", 2, stale, FirstWrite));
        Assert.Equal(2, await dapr.GetStateAsync<int>(Store, "k"));
    }

    [Fact]
    public async Task TryDelete_WithStaleETag_OnAMissingKey_Succeeds()
    {
        using var dapr = new FakeDaprClient();

        Assert.True(await dapr.TryDeleteStateAsync(Store, "k", "7"));
    }

    [Fact]
    public async Task LastWrite_IgnoresTheETag()
    {
        using var dapr = new FakeDaprClient();
        await dapr.SaveStateAsync(Store, "k", 1);

        Assert.True(await dapr.TrySaveStateAsync(Store, "k", 2, "stale", new StateOptions { Concurrency = ConcurrencyMode.LastWrite }));
        Assert.Equal(2, await dapr.GetStateAsync<int>(Store, "k"));
    }

    [Fact]
    public async Task TryDelete_WithWrongETag_ReturnsFalseAndKeepsTheItem()
    {
        using var dapr = new FakeDaprClient();
        await dapr.SaveStateAsync(Store, "k", 1);

        Assert.False(await dapr.TryDeleteStateAsync(Store, "k", "not-the-etag"));
        Assert.True(dapr.ContainsState(Store, "k"));
    }

    [Fact]
    public async Task Transaction_WithOneStaleETag_AppliesTheOthersAndFailsWithInternal()
    {
        using var dapr = new FakeDaprClient();
        await dapr.SaveStateAsync(Store, "a", 1);
        await dapr.SaveStateAsync(Store, "b", 1);
        var (_, etagA) = await dapr.GetStateAndETagAsync<int>(Store, "a");

        var ex = await Assert.ThrowsAsync<DaprException>(() => dapr.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest("b", null, StateOperationType.Delete, "stale"),
            new StateTransactionRequest("a", "2"u8.ToArray(), StateOperationType.Upsert, etagA),
        ]));

        // Redis runs one script per operation in MULTI/EXEC: nothing rolls the passing one back.
        Assert.Equal(Grpc.Core.StatusCode.Internal, Assert.IsType<Grpc.Core.RpcException>(ex.InnerException).StatusCode);
        Assert.Equal(2, await dapr.GetStateAsync<int>(Store, "a"));
        Assert.True(dapr.ContainsState(Store, "b"));
    }

    [Fact]
    public async Task Transaction_Writes_NeverSetTheFirstWriteMarker()
    {
        using var dapr = new FakeDaprClient();
        await dapr.ExecuteStateTransactionAsync(Store,
            [new StateTransactionRequest("k", "1"u8.ToArray(), StateOperationType.Upsert, options: FirstWrite)]);

        Assert.True(await dapr.TrySaveStateAsync(Store, "k", 2, string.Empty, FirstWrite));
    }

    [Fact]
    public async Task Outbox_PublishesEachUpsertWithItsProjectionAndStoresOnlyTheState()
    {
        using var dapr = new FakeDaprClient();
        dapr.ConfigureOutbox(Store, "pubsub", "items");

        await dapr.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest("k", "1"u8.ToArray(), StateOperationType.Upsert, metadata: new Dictionary<string, string> { ["type"] = "t" }),
            new StateTransactionRequest("k", "2"u8.ToArray(), StateOperationType.Upsert, metadata: new Dictionary<string, string> { ["outbox.projection"] = "true" }),
        ]);

        var published = Assert.Single(dapr.PublishedEvents);
        Assert.Equal(("pubsub", "items", 2, "t"), (published.PubSubName, published.Topic, published.DataAs<int>(), published.Metadata["type"]));
        Assert.Equal(1, await dapr.GetStateAsync<int>(Store, "k"));
    }

    [Fact]
    public async Task GetBulk_ReturnsOneEntryPerKeyAskedWithEmptyETagForMissing()
    {
        using var dapr = new FakeDaprClient();
        await dapr.SaveStateAsync(Store, "a", "x");

        var items = await dapr.GetBulkStateAsync(Store, ["a", "missing"], parallelism: null);

        Assert.Equal(["a", "missing"], items.Select(i => i.Key));
        Assert.Equal(("\"x\"", string.Empty), (items[0].Value, items[1].ETag));
    }

    [Fact]
    public async Task InjectedConflicts_FailTheNextGuardedWritesOnly()
    {
        using var dapr = new FakeDaprClient();
        await dapr.SaveStateAsync(Store, "k", 0);
        var (_, etag) = await dapr.GetStateAndETagAsync<int>(Store, "k");
        dapr.InjectETagConflicts(2);

        await dapr.SaveStateAsync(Store, "other", 1);
        Assert.False(await dapr.TrySaveStateAsync(Store, "k", 1, etag, FirstWrite));
        Assert.False(await dapr.TrySaveStateAsync(Store, "k", 1, etag, FirstWrite));
        Assert.True(await dapr.TrySaveStateAsync(Store, "k", 1, etag, FirstWrite));
        Assert.Equal(2, dapr.RejectedStateWrites);
    }

    [Fact]
    public async Task StateKey_WithDoublePipe_IsRejected()
    {
        using var dapr = new FakeDaprClient();

        await Assert.ThrowsAsync<DaprException>(() => dapr.GetStateAsync<int>(Store, "a||b"));
    }

    [Fact]
    public async Task Publish_RecordsTopicDataAndMetadata()
    {
        using var dapr = new FakeDaprClient();

        await dapr.PublishEventAsync("pubsub", "items", new { id = "a" },
            new Dictionary<string, string> { ["cloudevent.type"] = "item.upserted" });

        var published = Assert.Single(dapr.PublishedEvents);
        Assert.Equal(("pubsub", "items", "item.upserted"), (published.PubSubName, published.Topic, published.Metadata["cloudevent.type"]));
    }

#pragma warning disable CS0618 // the SDK marks InvokeMethodAsync obsolete; the double still has to serve callers of it
    [Fact]
    public async Task InvokeMethod_AnswersFromTheHandlerThroughJson()
    {
        using var dapr = new FakeDaprClient();
        dapr.OnInvoke((method, appId, name, body) => Task.FromResult<object?>(new { echoed = ((int[])body!).Sum() }));

        var answer = await dapr.InvokeMethodAsync<int[], Dictionary<string, int>>(HttpMethod.Post, "catalog", "sum", [1, 2, 3]);

        Assert.Equal(6, answer["echoed"]);
        Assert.Equal(new Invocation(HttpMethod.Post, "catalog", "sum", null), Assert.Single(dapr.Invocations) with { Body = null });
    }

    [Fact]
    public async Task InvokeMethod_WhenHandlerAnswersAnErrorStatus_ThrowsInvocationExceptionWithIt()
    {
        using var dapr = new FakeDaprClient();
        dapr.OnInvoke((_, appId, name, _) => throw FakeDaprClient.HttpError(appId, name, HttpStatusCode.Conflict));

        var error = await Assert.ThrowsAsync<InvocationException>(
            () => dapr.InvokeMethodAsync<object>(HttpMethod.Get, "catalog", "items/a"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response?.StatusCode);
    }
#pragma warning restore CS0618

    [Fact]
    public async Task InvokableHttpClient_RoutesToTheHandlerByHost()
    {
        using var dapr = new FakeDaprClient();
        dapr.OnInvoke((_, appId, name, body) => Task.FromResult<object?>($"{appId}/{name}"));
        using var http = dapr.CreateInvokableHttpClient("payments");

        var answer = await http.GetStringAsync("payments/order-1");

        Assert.Equal("\"payments/payments/order-1\"", answer);
    }

    [Fact]
    public async Task UnmodelledMember_ThrowsNotSupportedNamingIt()
    {
        using var dapr = new FakeDaprClient();

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => dapr.GetSecretAsync("secrets", "key"));

        Assert.Contains(nameof(DaprClient.GetSecretAsync), error.Message);
    }
}

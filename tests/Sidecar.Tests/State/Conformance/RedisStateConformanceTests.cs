using System.Text;
using Dapr;
using Dapr.Client;
using Grpc.Core;
using Sidecar.Components;
using Sidecar.Tests.Infrastructure;
using StackExchange.Redis;

namespace Sidecar.Tests.State.Conformance;

/// <summary>One real <c>redis-server</c> for a test class, with a connection for looking below the sidecar.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RedisServer.StartAsync();
        Connection = await ConnectionMultiplexer.ConnectAsync(Server.Host);
    }

    public async Task DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// The conformance suite against <c>state.redis</c> on a real server, and where Redis (components-contrib's rules,
/// which daprd keeps) legitimately differs from the built-in stores, tests named for that. The layout tests read and
/// write the server directly, as a daprd sharing it would.
/// </summary>
public sealed class RedisStateConformanceTests(RedisServerFixture redis) : StateConformanceTests, IClassFixture<RedisServerFixture>
{
    private IDatabase Raw => redis.Connection.GetDatabase();

    protected override ResourcesFolder CreateResources(string? keyPrefix = null, IReadOnlyDictionary<string, string>? metadata = null) =>
        StateResources.Store("state.redis", [
            new("redisHost", redis.Server.Host),
            new("actorStateStore", "true"),
            new("keyPrefix", keyPrefix),
            .. (metadata ?? new Dictionary<string, string>()).Select(m => new KeyValuePair<string, string?>(m.Key, m.Value)),
        ]);

    protected override Task PassTimeAsync(TimeSpan duration) => Task.Delay(duration);

    [Fact]
    public async Task Transaction_WhenOneETagFails_RedisKeepsTheOtherWrites()
    {
        var (stale, other) = await FailTransactionOnStaleETagAsync();

        Assert.Equal(new Widget("b", 1), await Client.GetStateAsync<Widget>(Store, other));
        Assert.Equal(new Widget("a", 2), await Client.GetStateAsync<Widget>(Store, stale));
    }

    [Fact]
    public async Task Transaction_UpsertWithJsonContentType_RedisFailsItWithoutRedisJsonAndKeepsTheOthers()
    {
        var (plain, json) = (NewKey(), NewKey());

        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(plain, Serialize(new Widget("a", 1)), StateOperationType.Upsert),
            new StateTransactionRequest(json, Serialize(new Widget("b", 2)), StateOperationType.Upsert,
                metadata: new Dictionary<string, string> { ["contentType"] = "application/json" }),
        ]));

        Assert.Equal(StatusCode.Internal, StatusOf(ex));
        Assert.Contains("no RedisJSON module", ex.InnerException!.Message, StringComparison.Ordinal);
        Assert.Equal(new Widget("a", 1), await Client.GetStateAsync<Widget>(Store, plain));
        Assert.Null(await Client.GetStateAsync<Widget>(Store, json));
    }

    [Fact]
    public async Task Save_WithJsonContentType_OutsideATransaction_RedisWritesTheHash()
    {
        var key = NewKey();

        await Client.SaveStateAsync(Store, key, new Widget("a", 1), metadata: new Dictionary<string, string> { ["contentType"] = "application/json" });

        Assert.Equal("1", (string?)await Raw.HashGetAsync($"{AppId}||{key}", "version"));
    }

    [Fact]
    public async Task FirstWrite_OnAnItemWrittenWithoutIt_RedisOverwritesAndMarksIt()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1));

        await Client.SaveStateAsync(Store, key, new Widget("b", 2), FirstWrite);

        Assert.Equal(new Widget("b", 2), await Client.GetStateAsync<Widget>(Store, key));
        Assert.Equal("0", (string?)await Raw.HashGetAsync($"{AppId}||{key}", "first-write"));
    }

    [Fact]
    public async Task FirstWrite_Twice_RedisFailsWithInternal()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1), FirstWrite);

        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.SaveStateAsync(Store, key, new Widget("b", 2), FirstWrite));

        Assert.Equal(StatusCode.Internal, StatusOf(ex));
    }

    [Fact]
    public async Task TrySave_WithEmptyETagAndFirstWrite_OnAnExistingItem_RedisThrowsInternalInsteadOfReturningFalse()
    {
        // "Create if missing" as the services write it: daprd's Redis store reports this conflict as a plain failure,
        // not as an ETag mismatch, so the SDK's TrySave throws rather than answering false.
        var key = NewKey();
        Assert.True(await Client.TrySaveStateAsync(Store, key, new Widget("a", 1), "", FirstWrite));

        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.TrySaveStateAsync(Store, key, new Widget("b", 2), "", FirstWrite));

        Assert.Equal(StatusCode.Internal, StatusOf(ex));
        Assert.Equal(new Widget("a", 1), await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task LastWrite_WithoutETag_OnAnItemMarkedFirstWrite_RedisFailsWithInternal()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1), FirstWrite);

        var ex = await Assert.ThrowsAsync<DaprException>(() => Client.SaveStateAsync(Store, key, new Widget("b", 2)));

        Assert.Equal(StatusCode.Internal, StatusOf(ex));
        Assert.Equal(new Widget("a", 1), await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task Transaction_FirstWrite_RedisDoesNotMarkTheItem()
    {
        var key = NewKey();

        await Client.ExecuteStateTransactionAsync(Store,
        [
            new StateTransactionRequest(key, Serialize(new Widget("a", 1)), StateOperationType.Upsert, options: FirstWrite),
        ]);

        Assert.False(await Raw.HashExistsAsync($"{AppId}||{key}", "first-write"));
    }

    [Fact]
    public async Task TrySave_WithStaleETagOnADeletedItem_RedisRecreatesIt()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1));
        var (_, etag) = await Client.GetStateAndETagAsync<Widget>(Store, key);
        await Client.DeleteStateAsync(Store, key);

        Assert.True(await Client.TrySaveStateAsync(Store, key, new Widget("b", 2), etag));

        var (value, recreated) = await Client.GetStateAndETagAsync<Widget>(Store, key);
        Assert.Equal((new Widget("b", 2), "1"), (value, recreated));
    }

    [Fact]
    public async Task TryDelete_OfAMissingItemWithAnyETag_RedisSucceeds()
    {
        Assert.True(await Client.TryDeleteStateAsync(Store, NewKey(), "1"));
    }

    [Fact]
    public async Task TryDelete_WithMalformedETag_RedisComparesItAsTextAndAnswersFalse()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1));

        Assert.False(await Client.TryDeleteStateAsync(Store, key, "not-an-etag"));
        Assert.NotNull(await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task Overwrite_WithoutTtl_RedisKeepsTheEarlierTtl()
    {
        var key = NewKey();
        await Client.SaveStateAsync(Store, key, new Widget("a", 1), metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "1" });
        await Client.SaveStateAsync(Store, key, new Widget("a", 2));

        await PassTimeAsync(TimeSpan.FromSeconds(2));

        Assert.Null(await Client.GetStateAsync<Widget>(Store, key));
    }

    [Fact]
    public async Task ComponentTtlInSeconds_AppliesToWritesThatAskForNone()
    {
        var sidecar = await StartAsync(AppId, Folder(metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "100" }));
        var (withDefault, withOwn) = (NewKey(), NewKey());

        await sidecar.Client.SaveStateAsync(Store, withDefault, "v");
        await sidecar.Client.SaveStateAsync(Store, withOwn, "v", metadata: new Dictionary<string, string> { ["ttlInSeconds"] = "-1" });

        Assert.InRange((await Raw.KeyTimeToLiveAsync($"{AppId}||{withDefault}"))!.Value, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(100));
        Assert.Null(await Raw.KeyTimeToLiveAsync($"{AppId}||{withOwn}"));
    }

    [Fact]
    public async Task Layout_IsDaprdsHash_DataAndVersionUnderTheAppIdPrefix()
    {
        var key = NewKey();

        await Client.SaveStateAsync(Store, key, new Widget("a", 1));
        await Client.SaveStateAsync(Store, key, new Widget("b", 2));

        var fields = (await Raw.HashGetAllAsync($"{AppId}||{key}")).ToDictionary(f => (string)f.Name!, f => (string)f.Value!);
        Assert.Equal(new Dictionary<string, string> { ["data"] = """{"color":"b","size":2}""", ["version"] = "2" }, fields);
        var (_, etag) = await Client.GetStateAndETagAsync<Widget>(Store, key);
        Assert.Equal("2", etag);
    }

    [Fact]
    public async Task ItemWrittenAsDaprdWritesIt_IsReadWithItsVersionAsTheETag()
    {
        var key = NewKey();
        await Raw.HashSetAsync($"{AppId}||{key}", [new("data", """{"color":"c","size":7}"""), new("version", "41")]);

        var (value, etag) = await Client.GetStateAndETagAsync<Widget>(Store, key);
        Assert.Equal((new Widget("c", 7), "41"), (value, etag));

        Assert.True(await Client.TrySaveStateAsync(Store, key, new Widget("d", 8), etag));
        Assert.Equal("42", (string?)await Raw.HashGetAsync($"{AppId}||{key}", "version"));
    }

    [Fact]
    public async Task PasswordAndDatabase_AreHonoured()
    {
        await using var secured = await RedisServer.StartAsync(["--requirepass", "s3cret"]);
        using var resources = StateResources.Store("state.redis", [
            new("redisHost", secured.Host), new("redisPassword", "s3cret"), new("redisDB", "3")]);
        await using var sidecar = await TestSidecar.StartAsync(AppId, resources.Path);

        await sidecar.Client.SaveStateAsync(Store, "k", "v");

        await using var raw = await ConnectionMultiplexer.ConnectAsync($"{secured.Host},password=s3cret");
        Assert.True(await raw.GetDatabase(3).KeyExistsAsync($"{AppId}||k"));
        Assert.False(await raw.GetDatabase(0).KeyExistsAsync($"{AppId}||k"));
    }

    [Fact]
    public async Task QueryIndexes_FailsTheStartNamingFileAndComponent()
    {
        using var resources = StateResources.Store("state.redis", [new("redisHost", redis.Server.Host), new("queryIndexes", "[]")]);

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync(AppId, resources.Path));

        Assert.StartsWith($"{Path.Combine(resources.Path, "statestore.yaml")}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("component 'statestore' (state.redis) metadata 'queryIndexes' is not supported", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task Embedded_StillSubstitutesTheBuiltInSqliteStore()
    {
        using var resources = CreateResources();
        await using var sidecar = await TestSidecar.StartAsync(AppId, resources.Path, o => o with { Embedded = true });
        var key = NewKey();

        await sidecar.Client.SaveStateAsync(Store, key, "v");

        Assert.Equal("v", await sidecar.Client.GetStateAsync<string>(Store, key));
        Assert.False(await Raw.KeyExistsAsync($"{AppId}||{key}"));
    }
}

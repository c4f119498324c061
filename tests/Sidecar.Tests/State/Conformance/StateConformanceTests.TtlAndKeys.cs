using System.Text;
using Dapr;
using Dapr.Client;
using Grpc.Core;
using Sidecar.Components.State;

namespace Sidecar.Tests.State.Conformance;

/// <summary>
/// TTLs (reported, removed, expiring in and out of transactions) and keys: prefixes, the key scan, reserved and unknown
/// names.
/// </summary>
public abstract partial class StateConformanceTests
{
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
}

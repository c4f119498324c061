// The SDK marks its lock API experimental (alpha, as daprd's); using it is what these tests are for.
#pragma warning disable DAPR_DISTRIBUTEDLOCK

using Dapr.Client;
using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.State.Conformance;
using StackExchange.Redis;

namespace Sidecar.Tests.Locks;

/// <summary>
/// The lock conformance suite against <c>lock.redis</c> on a real <c>redis-server</c>, and the layout a daprd sharing
/// the server would read: the key <c>lock||{appId}||{resourceId}</c> holding the owner, with the expiry as its TTL.
/// </summary>
public sealed class RedisLockConformanceTests(RedisServerFixture redis) : LockConformanceTests, IClassFixture<RedisServerFixture>
{
    private IDatabase Raw => redis.Connection.GetDatabase();

    protected override ResourcesFolder CreateResources(string? keyPrefix = null) => LockResources.Redis(redis.Server.Host, keyPrefix);

    [Fact]
    public async Task Layout_IsContribsStringKeyHoldingTheOwner_WithTheExpiryAsTtl()
    {
        var resource = NewResource();

        await Client.Lock(Store, resource, "owner-a", 60);

        var key = $"lock||{AppId}||{resource}";
        Assert.Equal("owner-a", (string?)await Raw.StringGetAsync(key));
        Assert.InRange((await Raw.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task ALockTakenByAnotherDaprd_IsRespected()
    {
        var resource = NewResource();
        await Raw.StringSetAsync($"lock||{AppId}||{resource}", "daprd-owner", TimeSpan.FromSeconds(60));

        Assert.False((await Client.Lock(Store, resource, "owner-a", 60)).Success);
        Assert.Equal(LockStatus.LockBelongsToOthers, (await Client.Unlock(Store, resource, "owner-a")).status);
        Assert.Equal(LockStatus.Success, (await Client.Unlock(Store, resource, "daprd-owner")).status);
    }

    [Fact]
    public async Task KeyPrefix_Fixed_IsLowercasedAsDaprdDoes()
    {
        var sidecar = await StartAsync("fixed-app", "Shared-Prefix");
        var resource = NewResource();

        await sidecar.Client.Lock(Store, resource, "owner-a", 60);

        Assert.Equal("owner-a", (string?)await Raw.StringGetAsync($"lock||shared-prefix||{resource}"));
    }

    [Fact]
    public async Task Embedded_ServesTheLockWithoutTouchingRedis()
    {
        using var resources = CreateResources();
        await using var sidecar = await TestSidecar.StartAsync(AppId, resources.Path, o => o with { Embedded = true });
        var resource = NewResource();

        Assert.True((await sidecar.Client.Lock(Store, resource, "owner-a", 60)).Success);

        Assert.False(await Raw.KeyExistsAsync($"lock||{AppId}||{resource}"));
    }
}

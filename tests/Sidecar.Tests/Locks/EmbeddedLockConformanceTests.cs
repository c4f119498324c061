// The SDK marks its lock API experimental (alpha, as daprd's); using it is what these tests are for.
#pragma warning disable DAPR_DISTRIBUTEDLOCK

using Dapr.Client;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Locks;

/// <summary>
/// The lock conformance suite against the embedded lock store: a <c>lock.redis</c> whose Redis is unreachable, run
/// with <c>--embedded</c>, so every answer comes from the stand-in, which must keep Redis's rules; and what stands in
/// for one Redis shared by two runs: two runs (two processes' worth of sidecars) on one data directory share the locks.
/// </summary>
public sealed class EmbeddedLockConformanceTests : LockConformanceTests
{
    protected override ResourcesFolder CreateResources(string? keyPrefix = null) =>
        LockResources.Redis(LockResources.UnreachableHost, keyPrefix);

    protected override SidecarOptions Configure(SidecarOptions options) => options with { Embedded = true };

    [Fact]
    public async Task TwoRunsOnOneDataDirectory_ShareTheLocks_AsTwoDaprdsOnOneRedis()
    {
        using var resources = CreateResources();
        await using var firstRun = new SidecarNetwork();
        await using var secondRun = new SidecarNetwork();
        await using var first = await TestSidecar.StartAsync(AppId, resources.Path, Configure, firstRun);
        await using var second = await TestSidecar.StartAsync(AppId, resources.Path, Configure, secondRun);
        var resource = NewResource();

        Assert.True((await first.Client.Lock(Store, resource, "owner-a", 60)).Success);
        Assert.False((await second.Client.Lock(Store, resource, "owner-b", 60)).Success);
        Assert.Equal(LockStatus.LockBelongsToOthers, (await second.Client.Unlock(Store, resource, "owner-b")).status);
        Assert.Equal(LockStatus.Success, (await first.Client.Unlock(Store, resource, "owner-a")).status);
        Assert.True((await second.Client.Lock(Store, resource, "owner-b", 60)).Success);
    }
}

using Sidecar.Tests.Infrastructure;
using Sidecar.Tests.Locks;

namespace Sidecar.Tests.JsSdk;

/// <summary>
/// The JS SDK's distributed lock calls (<c>tests/js-sdk/lock.js</c>, <c>client.lock.lock</c> / <c>unlock</c>) against the
/// local sidecar over HTTP and gRPC, as against daprd: dapr/dapr <c>pkg/api/http/lock.go</c> (TryLock answers
/// <c>{"success":bool}</c> with unpopulated fields emitted; Unlock answers <c>{"status":n}</c> as a number, protojson's
/// UseEnumNumbers, which is what the SDK's HTTP client maps), <c>pkg/api/universal/lock.go</c> for the checks, and
/// lock.redis's rules (SET NX: a held lock is refused to every owner, its own included). The store is the embedded one.
/// </summary>
public sealed class JsSdkLockTests
{
    [Theory]
    [InlineData("http")]
    [InlineData("grpc")]
    public async Task LockContendAndUnlock_AnswerDaprdsSuccessAndStatuses(string protocol)
    {
        using var resources = LockResources.Redis(LockResources.UnreachableHost);
        await using var sidecar = await TestSidecar.StartAsync("js-lock", resources.Path, o => o with { Embedded = true });

        var r = await NodeScript.RunAsync("lock.js", protocol, JsSdkEnvironment.For(sidecar, ("STORE", "lockstore")));

        Assert.Equal("""{"success":true}""", r.Json("lock"));
        // A lock held by another owner is not an error: daprd answers 200 / OK with success false.
        Assert.Equal("""{"success":false}""", r.Json("lockBySecondOwner"));
        Assert.Equal("""{"success":false}""", r.Json("lockAgainBySameOwner"));
        // UnlockResponse.Status: 2 LOCK_BELONGS_TO_OTHERS, 0 SUCCESS, 1 LOCK_DOES_NOT_EXIST (dapr/proto runtime/v1).
        Assert.Equal("LockBelongsToOthers", r.Text("unlockByOther"));
        Assert.Equal("Success", r.Text("unlockByOwner"));
        Assert.Equal("""{"success":true}""", r.Json("lockAfterUnlock"));
        Assert.Equal("LockDoesNotExist", r.Text("unlockMissing"));
        // daprd: ERR_LOCK_STORE_NOT_FOUND and a non-positive expiry are 400 over HTTP and InvalidArgument over gRPC.
        Assert.Contains(protocol == "http" ? "ERR_LOCK_STORE_NOT_FOUND" : "lock store no-such-store not found", r.Error("lockUnknownStore"));
        Assert.Contains("ExpiryInSeconds is not positive in lock store lockstore", r.Error("lockZeroExpiry"));
    }
}

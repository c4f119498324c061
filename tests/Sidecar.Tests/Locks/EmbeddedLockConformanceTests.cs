using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Locks;

/// <summary>
/// The lock conformance suite against the embedded lock store: a <c>lock.redis</c> whose Redis is unreachable, run
/// with <c>--embedded</c>, so every answer comes from the stand-in, which must keep Redis's rules.
/// </summary>
public sealed class EmbeddedLockConformanceTests : LockConformanceTests
{
    protected override ResourcesFolder CreateResources(string? keyPrefix = null) =>
        LockResources.Redis(LockResources.UnreachableHost, keyPrefix);

    protected override SidecarOptions Configure(SidecarOptions options) => options with { Embedded = true };
}

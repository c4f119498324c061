// The SDK marks its lock API experimental (alpha, as daprd's); using it is what these tests are for.
#pragma warning disable DAPR_DISTRIBUTEDLOCK

using System.Net.Http.Json;
using System.Text.Json;
using Dapr.Client;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Locks;

/// <summary>
/// The lock API as apps use it, the Dapr .NET SDK's <c>Lock</c>/<c>Unlock</c> (gRPC) and plain HTTP, against real
/// sidecars, written once and run unchanged against <c>lock.redis</c> on a real server and against the embedded lock
/// store <c>--embedded</c> substitutes for it. The rules are components-contrib's lock/redis/standalone.go (SET NX with
/// expiry; unlock deletes only for the owner) and daprd's key prefixes (pkg/components/lock/lock_config.go). All the
/// sidecars of a test share one run (one <see cref="SidecarNetwork"/> and data directory), as the runner's apps do.
/// </summary>
public abstract class LockConformanceTests : IAsyncLifetime
{
    protected const string Store = "lockstore";
    protected const string AppId = "lock-app";
    private static readonly TimeSpan PollLimit = TimeSpan.FromSeconds(20);
    private readonly SidecarNetwork _network = new();
    private readonly List<IAsyncDisposable> _started = [];
    private readonly List<ResourcesFolder> _folders = [];

    // One data directory for the test's run, as the runner gives all its sidecars one.
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("lock-run-");

    protected TestSidecar Sidecar { get; private set; } = null!;

    protected DaprClient Client => Sidecar.Client;

    /// <summary>A resources folder with a lock store named <see cref="Store"/>.</summary>
    protected abstract ResourcesFolder CreateResources(string? keyPrefix = null);

    /// <summary>The sidecar options of the mode under test (e.g. <c>--embedded</c>).</summary>
    protected virtual SidecarOptions Configure(SidecarOptions options) => options;

    public async Task InitializeAsync() => Sidecar = await StartAsync(AppId);

    public async Task DisposeAsync()
    {
        foreach (var started in Enumerable.Reverse(_started))
        {
            await started.DisposeAsync();
        }

        await _network.DisposeAsync();
        foreach (var folder in _folders)
        {
            folder.Dispose();
        }

        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a stopping sidecar; the OS temp cleaner takes it.
        }
    }

    /// <summary>Another sidecar of the run, for <paramref name="appId"/>, stopped with the test.</summary>
    protected async Task<TestSidecar> StartAsync(string appId, string? keyPrefix = null)
    {
        var folder = CreateResources(keyPrefix);
        _folders.Add(folder);
        var sidecar = await TestSidecar.StartAsync(appId, folder.Path, o => Configure(o) with { DataDirectory = _dataDirectory.FullName }, _network);
        _started.Add(sidecar);
        return sidecar;
    }

    protected static string NewResource() => "resource-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Sdk_LockThenUnlock_Succeeds()
    {
        var resource = NewResource();

        var locked = await Client.Lock(Store, resource, "owner-a", 60);
        var unlocked = await Client.Unlock(Store, resource, "owner-a");

        Assert.True(locked.Success);
        Assert.Equal(LockStatus.Success, unlocked.status);
        Assert.True((await Client.Lock(Store, resource, "owner-b", 60)).Success);
    }

    [Fact]
    public async Task Sdk_TwoOwnersContending_OnlyOneHoldsItUntilItIsReleased()
    {
        var resource = NewResource();
        var owners = Enumerable.Range(0, 8).Select(i => $"owner-{i}").ToArray();

        var results = await Task.WhenAll(owners.Select(o => Client.Lock(Store, resource, o, 60)));

        var winner = Assert.Single(owners.Where((_, i) => results[i].Success));
        var other = owners.First(o => o != winner);
        Assert.False((await Client.Lock(Store, resource, other, 60)).Success);
        Assert.Equal(LockStatus.Success, (await Client.Unlock(Store, resource, winner)).status);
        Assert.True((await Client.Lock(Store, resource, other, 60)).Success);
    }

    [Fact]
    public async Task Sdk_UnlockByANonOwner_AnswersLockBelongsToOthersAndTheLockStays()
    {
        var resource = NewResource();
        await Client.Lock(Store, resource, "owner-a", 60);

        var foreign = await Client.Unlock(Store, resource, "owner-b");

        Assert.Equal(LockStatus.LockBelongsToOthers, foreign.status);
        Assert.False((await Client.Lock(Store, resource, "owner-b", 60)).Success);
    }

    [Fact]
    public async Task Sdk_UnlockOfAMissingLock_AnswersLockDoesNotExist()
    {
        Assert.Equal(LockStatus.LockDoesNotExist, (await Client.Unlock(Store, NewResource(), "owner-a")).status);
    }

    [Fact]
    public async Task Expiry_ALockOfOneSecondLapses_AndAnotherOwnerTakesIt()
    {
        var resource = NewResource();
        Assert.True((await Client.Lock(Store, resource, "owner-a", 1)).Success);

        await PollUntilAsync(async () => (await Client.Lock(Store, resource, "owner-b", 60)).Success);

        Assert.Equal(LockStatus.LockBelongsToOthers, (await Client.Unlock(Store, resource, "owner-a")).status);
        Assert.Equal(LockStatus.Success, (await Client.Unlock(Store, resource, "owner-b")).status);
    }

    [Fact]
    public async Task Expiry_AfterTheLockLapses_UnlockAnswersLockDoesNotExist()
    {
        var resource = NewResource();
        Assert.True((await Client.Lock(Store, resource, "owner-a", 1)).Success);

        // A non-owner's unlock changes nothing, so it can be asked until the lock is gone.
        await PollUntilAsync(async () => (await Client.Unlock(Store, resource, "owner-b")).status != LockStatus.LockBelongsToOthers);

        Assert.Equal(LockStatus.LockDoesNotExist, (await Client.Unlock(Store, resource, "owner-b")).status);
        Assert.Equal(LockStatus.LockDoesNotExist, (await Client.Unlock(Store, resource, "owner-a")).status);
    }

    [Fact]
    public async Task Http_LockAndUnlock_AnswerSuccessAndNumericStatus()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Sidecar.HttpEndpoint) };
        var resource = NewResource();

        Assert.Equal("""{"success":true}""", await PostAsync(http, "lock", new { resourceId = resource, lockOwner = "a", expiryInSeconds = 60 }));
        Assert.Equal("""{"success":false}""", await PostAsync(http, "lock", new { resourceId = resource, lockOwner = "b", expiryInSeconds = 60 }));
        Assert.Equal("""{"status":2}""", await PostAsync(http, "unlock", new { resourceId = resource, lockOwner = "b" }));
        Assert.Equal("""{"status":0}""", await PostAsync(http, "unlock", new { resourceId = resource, lockOwner = "a" }));
        Assert.Equal("""{"status":1}""", await PostAsync(http, "unlock", new { resourceId = resource, lockOwner = "a" }));
    }

    [Fact]
    public async Task KeyPrefix_DefaultAppId_KeepsTheLocksOfTwoAppsApart()
    {
        var other = await StartAsync("other-app");
        var resource = NewResource();

        Assert.True((await Client.Lock(Store, resource, "owner-a", 60)).Success);
        Assert.True((await other.Client.Lock(Store, resource, "owner-b", 60)).Success);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("name")]
    [InlineData("Shared-Prefix")]
    public async Task KeyPrefix_NoneNameOrFixed_TwoAppsShareTheLock(string keyPrefix)
    {
        var first = await StartAsync("app-one", keyPrefix);
        var second = await StartAsync("app-two", keyPrefix);
        var resource = NewResource();

        Assert.True((await first.Client.Lock(Store, resource, "owner-a", 60)).Success);
        Assert.False((await second.Client.Lock(Store, resource, "owner-b", 60)).Success);
        Assert.Equal(LockStatus.LockBelongsToOthers, (await second.Client.Unlock(Store, resource, "owner-b")).status);
    }

    private static async Task<string> PostAsync(HttpClient http, string operation, object body)
    {
        using var response = await http.PostAsJsonAsync($"/v1.0-alpha1/{operation}/{Store}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var _ = JsonDocument.Parse(text);
        return text;
    }

    /// <summary>Asks <paramref name="condition"/> again until it holds; fails after <see cref="PollLimit"/>.</summary>
    private static async Task PollUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTimeOffset.UtcNow + PollLimit;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"the condition did not hold within {PollLimit.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sidecar.Components;
using Sidecar.Tests.Infrastructure;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Tests.Locks;

/// <summary>
/// How a lock component is loaded and reported: the metadata API lists it as daprd does (no capabilities: daprd's
/// capability map has none for lock stores, pkg/runtime/runtime.go getComponentsCapabilitesMap), a malformed
/// <c>keyPrefix</c> or an unreachable Redis fails the start in one line naming the file, and <c>--embedded</c> logs the
/// substitution.
/// </summary>
public sealed class LockComponentTests
{
    [Fact]
    public async Task Metadata_ListsTheLockStoreWithoutCapabilities_OverHttpAndGrpc()
    {
        using var resources = LockResources.Redis(LockResources.UnreachableHost);
        await using var sidecar = await TestSidecar.StartAsync("lock-meta", resources.Path, o => o with { Embedded = true });
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };
        using var channel = GrpcChannel.ForAddress(sidecar.GrpcEndpoint);

        using var body = JsonDocument.Parse(await http.GetStringAsync("/v1.0/metadata"));
        var grpc = await new Proto.Dapr.DaprClient(channel).GetMetadataAsync(new Proto.GetMetadataRequest());

        var component = Assert.Single(body.RootElement.GetProperty("components").EnumerateArray());
        Assert.Equal("lockstore", component.GetProperty("name").GetString());
        Assert.Equal("lock.redis", component.GetProperty("type").GetString());
        Assert.Equal("v1", component.GetProperty("version").GetString());
        Assert.False(component.TryGetProperty("capabilities", out _));
        var registered = Assert.Single(grpc.RegisteredComponents);
        Assert.Equal(("lockstore", "lock.redis", "v1"), (registered.Name, registered.Type, registered.Version));
        Assert.Empty(registered.Capabilities);
    }

    [Fact]
    public async Task KeyPrefixWithSeparator_FailsTheStartNamingFileAndComponent()
    {
        using var resources = LockResources.Redis(LockResources.UnreachableHost, keyPrefix: "a||b");

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(
            () => TestSidecar.StartAsync("lock-bad-prefix", resources.Path, o => o with { Embedded = true }));

        Assert.StartsWith(Path.Combine(resources.Path, "lockstore.yaml"), ex.Message, StringComparison.Ordinal);
        Assert.Contains("component 'lockstore' (lock.redis) failed to save lock keyprefix: input key/keyPrefix 'a||b' can't contain '||'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task UnreachableRedis_WithoutEmbedded_FailsTheStartNamingFileComponentAndHost()
    {
        using var resources = LockResources.Redis(LockResources.UnreachableHost);

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("lock-no-redis", resources.Path));

        Assert.StartsWith(Path.Combine(resources.Path, "lockstore.yaml"), ex.Message, StringComparison.Ordinal);
        Assert.Contains($"component 'lockstore' (lock.redis) cannot reach Redis at {LockResources.UnreachableHost}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embedded_LogsTheSubstitutionInOneLine()
    {
        using var resources = LockResources.Redis(LockResources.UnreachableHost);
        var logs = new CapturedLogs();

        await using var sidecar = await TestSidecar.StartAsync(
            "lock-embedded-log", resources.Path, o => o with { Embedded = true }, configureServices: s => s.AddSingleton<ILoggerProvider>(logs));

        Assert.Contains(logs.Lines, l => l.Text == $"lockstore (lock.redis) → embedded SQLite {Path.Combine(sidecar.Options.DataDirectory, "state.db")}");
    }

    [Fact]
    public async Task RedisGoneAfterTheStart_TryLockAnswers500ErrTryLock_AndUnlock500ErrUnlock()
    {
        var redis = await RedisServer.StartAsync();
        using var resources = LockResources.Redis(redis.Host);
        await using var sidecar = await TestSidecar.StartAsync("lock-redis-gone", resources.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };
        await redis.DisposeAsync();

        using var locked = await http.PostAsJsonAsync("/v1.0-alpha1/lock/lockstore", new { resourceId = "r", lockOwner = "o", expiryInSeconds = 5 });
        using var unlocked = await http.PostAsJsonAsync("/v1.0-alpha1/unlock/lockstore", new { resourceId = "r", lockOwner = "o" });

        await AssertErrorAsync(locked, "ERR_TRY_LOCK", "failed to try acquiring lock: ");
        await AssertErrorAsync(unlocked, "ERR_UNLOCK", "failed to release lock: ");
    }

    [Fact]
    public async Task RedisTypeCluster_FailsTheStart_AsContribRefusesIt()
    {
        using var resources = new ResourcesFolder(("lockstore.yaml", LockResources.Component("lockstore", LockResources.UnreachableHost).Yaml
            + "\n    - name: redisType\n      value: cluster\n"));

        var ex = await Assert.ThrowsAsync<ResourceLoadException>(() => TestSidecar.StartAsync("lock-cluster", resources.Path));

        Assert.Contains("component 'lockstore' (lock.redis) cannot use redisType 'cluster'", ex.Message, StringComparison.Ordinal);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, string code, string messageStart)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, $"{(int)response.StatusCode}: {text}");
        using var body = JsonDocument.Parse(text);
        Assert.Equal(code, body.RootElement.GetProperty("errorCode").GetString());
        Assert.StartsWith(messageStart, body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Sidecar.Tests.Infrastructure;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Tests.Locks;

/// <summary>
/// daprd's answers to bad lock requests over HTTP and gRPC, in its order of checks: dapr/dapr pkg/api/universal/lock.go
/// (a non-positive expiry before anything else, then no lock store, an empty resource id, an empty owner, an unknown
/// store, a resource id with <c>||</c>), pkg/messages/predefined.go for codes, messages and statuses, and
/// pkg/api/http/universal.go for an unreadable body. The store is the embedded one (no Redis needed).
/// </summary>
public sealed class LockErrorTests : IAsyncLifetime
{
    private readonly ResourcesFolder _resources = LockResources.Redis(LockResources.UnreachableHost);
    private TestSidecar _sidecar = null!;
    private HttpClient _http = null!;
    private GrpcChannel _channel = null!;

    private Proto.Dapr.DaprClient Grpc => new(_channel);

    public async Task InitializeAsync()
    {
        _sidecar = await TestSidecar.StartAsync("lock-errors", _resources.Path, o => o with { Embedded = true });
        _http = new HttpClient { BaseAddress = new Uri(_sidecar.HttpEndpoint) };
        _channel = GrpcChannel.ForAddress(_sidecar.GrpcEndpoint);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        _http.Dispose();
        await _sidecar.DisposeAsync();
        _resources.Dispose();
    }

    [Theory]
    [InlineData("lockstore", "r", "o", 0, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "ExpiryInSeconds is not positive in lock store lockstore")]
    [InlineData("nope", "", "", -1, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "ExpiryInSeconds is not positive in lock store nope")]
    [InlineData("lockstore", "", "o", 10, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "ResourceId is empty in lock store lockstore")]
    [InlineData("lockstore", "r", "", 10, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "LockOwner is empty in lock store lockstore")]
    [InlineData("nope", "r", "o", 10, HttpStatusCode.BadRequest, "ERR_LOCK_STORE_NOT_FOUND", "lock store nope not found")]
    [InlineData("lockstore", "a||b", "o", 10, HttpStatusCode.InternalServerError, "ERR_TRY_LOCK", "failed to try acquiring lock: input key/keyPrefix 'a||b' can't contain '||'")]
    public async Task TryLock_BadRequest_AnswersDaprdsErrorOverHttpAndGrpc(
        string store, string resourceId, string owner, int expiry, HttpStatusCode status, string code, string message)
    {
        using var response = await _http.PostAsJsonAsync($"/v1.0-alpha1/lock/{store}", new { resourceId, lockOwner = owner, expiryInSeconds = expiry });
        var grpc = await Assert.ThrowsAsync<RpcException>(() => Grpc.TryLockAlpha1Async(
            new Proto.TryLockRequest { StoreName = store, ResourceId = resourceId, LockOwner = owner, ExpiryInSeconds = expiry }).ResponseAsync);

        await AssertErrorAsync(response, status, code, message);
        Assert.Equal(status == HttpStatusCode.BadRequest ? StatusCode.InvalidArgument : StatusCode.Internal, grpc.StatusCode);
        Assert.Equal(message, grpc.Status.Detail);
    }

    [Theory]
    [InlineData("lockstore", "", "o", HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "ResourceId is empty in lock store lockstore")]
    [InlineData("lockstore", "r", "", HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "LockOwner is empty in lock store lockstore")]
    [InlineData("nope", "r", "o", HttpStatusCode.BadRequest, "ERR_LOCK_STORE_NOT_FOUND", "lock store nope not found")]
    [InlineData("lockstore", "a||b", "o", HttpStatusCode.InternalServerError, "ERR_UNLOCK", "failed to release lock: input key/keyPrefix 'a||b' can't contain '||'")]
    public async Task Unlock_BadRequest_AnswersDaprdsErrorOverHttpAndGrpc(
        string store, string resourceId, string owner, HttpStatusCode status, string code, string message)
    {
        using var response = await _http.PostAsJsonAsync($"/v1.0-alpha1/unlock/{store}", new { resourceId, lockOwner = owner });
        var grpc = await Assert.ThrowsAsync<RpcException>(() => Grpc.UnlockAlpha1Async(
            new Proto.UnlockRequest { StoreName = store, ResourceId = resourceId, LockOwner = owner }).ResponseAsync);

        await AssertErrorAsync(response, status, code, message);
        Assert.Equal(status == HttpStatusCode.BadRequest ? StatusCode.InvalidArgument : StatusCode.Internal, grpc.StatusCode);
        Assert.Equal(message, grpc.Status.Detail);
    }

    [Theory]
    [InlineData("lock", "{not json")]
    [InlineData("lock", """{"resourceId":"r","lockOwner":"o","expiryInSeconds":"ten"}""")]
    [InlineData("unlock", """["r","o"]""")]
    public async Task UnreadableBody_Answers400MalformedRequest(string operation, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync($"/v1.0-alpha1/{operation}/lockstore", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ERR_MALFORMED_REQUEST", json.RootElement.GetProperty("errorCode").GetString());
        Assert.StartsWith("failed deserializing HTTP body: ", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_IsReadAsProtojsonDoes_ProtoNamesNumericStringsAndUnknownFields()
    {
        using var content = new StringContent(
            """{"resource_id":"r-proto","lock_owner":"o","expiry_in_seconds":"30","extra":true}""", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync("/v1.0-alpha1/lock/lockstore", content);

        Assert.Equal("""{"success":true}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(Proto.UnlockResponse.Types.Status.LockBelongsToOthers, (await Grpc.UnlockAlpha1Async(
            new Proto.UnlockRequest { StoreName = "lockstore", ResourceId = "r-proto", LockOwner = "someone" })).Status);
    }

    [Fact]
    public async Task EmptyBody_IsAnEmptyRequest_SoTheExpiryIsRefusedFirst()
    {
        using var response = await _http.PostAsync("/v1.0-alpha1/lock/lockstore", content: null);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "ERR_MALFORMED_REQUEST", "ExpiryInSeconds is not positive in lock store lockstore");
    }

    [Fact]
    public async Task NoLockStore_Answers500NotConfiguredAndGrpcFailedPrecondition()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("lock-none", resources.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };
        using var channel = GrpcChannel.ForAddress(sidecar.GrpcEndpoint);

        using var response = await http.PostAsJsonAsync("/v1.0-alpha1/unlock/lockstore", new { resourceId = "r", lockOwner = "o" });
        var grpc = await Assert.ThrowsAsync<RpcException>(() => new Proto.Dapr.DaprClient(channel).TryLockAlpha1Async(
            new Proto.TryLockRequest { StoreName = "lockstore", ResourceId = "r", LockOwner = "o", ExpiryInSeconds = 5 }).ResponseAsync);

        await AssertErrorAsync(response, HttpStatusCode.InternalServerError, "ERR_LOCK_STORE_NOT_CONFIGURED", "lock store is not configured");
        Assert.Equal(StatusCode.FailedPrecondition, grpc.StatusCode);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string message)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        using var body = JsonDocument.Parse(text);
        Assert.Equal(code, body.RootElement.GetProperty("errorCode").GetString());
        Assert.Equal(message, body.RootElement.GetProperty("message").GetString());
    }
}

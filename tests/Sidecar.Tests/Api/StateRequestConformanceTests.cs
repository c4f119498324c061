using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Api;

/// <summary>
/// The state routes as daprd's router takes them: save, bulk and transaction by POST or PUT, and request metadata from
/// <c>?metadata.{name}=</c> merged into every item (dapr/dapr <c>pkg/api/http/http.go</c> constructStateEndpoints,
/// onPostState, onPostStateTransaction, getMetadataFromRequest). The metadata used is <c>ttlInSeconds</c>, whose
/// effect a read shows (<c>metadata.ttlExpireTime</c>).
/// </summary>
public sealed class StateRequestConformanceTests : IAsyncLifetime
{
    private readonly ResourcesFolder _resources = ResourcesFolder.InMemory();
    private TestSidecar _sidecar = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _sidecar = await TestSidecar.StartAsync("state-conform", _resources.Path);
        _http = new HttpClient { BaseAddress = new Uri(_sidecar.HttpEndpoint) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sidecar.DisposeAsync();
        _resources.Dispose();
    }

    private static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task OnPostState_QueryMetadata_AppliesToEveryItem()
    {
        var (first, second) = (NewKey(), NewKey());

        using var save = await _http.PostAsJsonAsync("/v1.0/state/statestore?metadata.ttlInSeconds=100",
            new object[] { new { key = first, value = 1 }, new { key = second, value = 2 } });

        Assert.Equal(HttpStatusCode.NoContent, save.StatusCode);
        await AssertExpiresWithinAsync(first, TimeSpan.FromSeconds(100));
        await AssertExpiresWithinAsync(second, TimeSpan.FromSeconds(100));
    }

    [Fact]
    public async Task OnPostState_QueryMetadata_WinsOverTheItemsOwn()
    {
        var key = NewKey();

        using var save = await _http.PostAsJsonAsync("/v1.0/state/statestore?metadata.ttlInSeconds=100",
            new object[] { new { key, value = 1, metadata = new { ttlInSeconds = "-1" } } });

        Assert.Equal(HttpStatusCode.NoContent, save.StatusCode);
        await AssertExpiresWithinAsync(key, TimeSpan.FromSeconds(100));
    }

    [Fact]
    public async Task OnPostStateTransaction_QueryMetadata_AppliesToEveryOperation()
    {
        var key = NewKey();

        using var transaction = await _http.PostAsJsonAsync("/v1.0/state/statestore/transaction?metadata.ttlInSeconds=100", new
        {
            operations = new[] { new { operation = "upsert", request = new { key, value = "v" } } },
        });

        Assert.Equal(HttpStatusCode.NoContent, transaction.StatusCode);
        await AssertExpiresWithinAsync(key, TimeSpan.FromSeconds(100));
    }

    [Fact]
    public async Task ConstructStateEndpoints_SaveBulkAndTransaction_AcceptPut()
    {
        var (saved, transacted) = (NewKey(), NewKey());

        using var save = await _http.PutAsJsonAsync("/v1.0/state/statestore", new object[] { new { key = saved, value = "s" } });
        using var transaction = await _http.PutAsJsonAsync("/v1.0/state/statestore/transaction", new
        {
            operations = new[] { new { operation = "upsert", request = new { key = transacted, value = "t" } } },
        });
        using var bulk = await _http.PutAsJsonAsync("/v1.0/state/statestore/bulk", new { keys = new[] { saved, transacted } });

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent, HttpStatusCode.OK), (save.StatusCode, transaction.StatusCode, bulk.StatusCode));
        var items = await bulk.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["s", "t"], items.EnumerateArray().Select(i => i.GetProperty("data").GetString()));
    }

    private async Task AssertExpiresWithinAsync(string key, TimeSpan ttl)
    {
        using var get = await _http.GetAsync($"/v1.0/state/statestore/{key}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var expires = DateTimeOffset.Parse(get.Headers.GetValues("metadata.ttlExpireTime").Single(), CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.Zero, ttl);
    }
}

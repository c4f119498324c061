using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Api;

/// <summary>The state routes of the HTTP API, called as a plain HTTP client would.</summary>
public sealed class StateHttpApiTests : IAsyncLifetime
{
    private readonly ResourcesFolder _resources = ResourcesFolder.InMemory();
    private TestSidecar _sidecar = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _sidecar = await TestSidecar.StartAsync("http-app", _resources.Path);
        _http = new HttpClient { BaseAddress = new Uri(_sidecar.HttpEndpoint) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sidecar.DisposeAsync();
        _resources.Dispose();
    }

    private static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    private Task<HttpResponseMessage> SaveAsync(params object[] items) =>
        _http.PostAsJsonAsync("/v1.0/state/statestore", items);

    private static async Task<(string Code, string Message)> ErrorOf(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("errorCode").GetString()!, body.RootElement.GetProperty("message").GetString()!);
    }

    [Fact]
    public async Task SaveThenGet_Returns204Then200WithTheValueAndETagHeader()
    {
        var key = NewKey();

        using var save = await SaveAsync(new { key, value = new { color = "blue" } });
        using var get = await _http.GetAsync($"/v1.0/state/statestore/{key}");

        Assert.Equal(HttpStatusCode.NoContent, save.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("""{"color":"blue"}""", await get.Content.ReadAsStringAsync());
        Assert.NotEmpty(get.Headers.GetValues("ETag").Single());
    }

    [Fact]
    public async Task Get_MissingKey_Returns204()
    {
        using var response = await _http.GetAsync($"/v1.0/state/statestore/{NewKey()}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Save_WithStaleETag_Returns409ErrStateSave()
    {
        var key = NewKey();
        using var saved = await SaveAsync(new { key, value = 1 });
        using var first = await _http.GetAsync($"/v1.0/state/statestore/{key}");
        var etag = first.Headers.GetValues("ETag").Single();
        using var resaved = await SaveAsync(new { key, value = 2 });

        using var response = await SaveAsync(new { key, value = 3, etag });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("ERR_STATE_SAVE", (await ErrorOf(response)).Code);
    }

    [Fact]
    public async Task Save_FirstWriteOnExistingItem_Returns409()
    {
        var key = NewKey();
        using var saved = await SaveAsync(new { key, value = 1 });

        using var response = await SaveAsync(new { key, value = 2, options = new { concurrency = "first-write" } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Delete_WithIfMatch_HonoursTheETag()
    {
        var key = NewKey();
        using var saved = await SaveAsync(new { key, value = 1 });
        using var get = await _http.GetAsync($"/v1.0/state/statestore/{key}");
        var etag = get.Headers.GetValues("ETag").Single();

        using var wrong = new HttpRequestMessage(HttpMethod.Delete, $"/v1.0/state/statestore/{key}");
        wrong.Headers.TryAddWithoutValidation("If-Match", etag == "1" ? "2" : "1");
        using var wrongResponse = await _http.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Delete, $"/v1.0/state/statestore/{key}");
        right.Headers.TryAddWithoutValidation("If-Match", etag);
        using var rightResponse = await _http.SendAsync(right);

        Assert.Equal(HttpStatusCode.Conflict, wrongResponse.StatusCode);
        Assert.Equal("ERR_STATE_DELETE", (await ErrorOf(wrongResponse)).Code);
        Assert.Equal(HttpStatusCode.NoContent, rightResponse.StatusCode);
    }

    [Fact]
    public async Task Bulk_ReturnsEachKeyWithDataAsJson()
    {
        var (a, missing) = (NewKey(), NewKey());
        using var saved = await SaveAsync(new { key = a, value = new { n = 1 } });

        using var response = await _http.PostAsJsonAsync("/v1.0/state/statestore/bulk", new { keys = new[] { a, missing }, parallelism = 2 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var items = body.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        var found = items.Single(i => i.GetProperty("key").GetString() == a);
        Assert.Equal(1, found.GetProperty("data").GetProperty("n").GetInt32());
        Assert.False(items.Single(i => i.GetProperty("key").GetString() == missing).TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Transaction_UpsertAndDelete_Returns204AndApplies()
    {
        var (a, b) = (NewKey(), NewKey());
        using var saved = await SaveAsync(new { key = a, value = "old" });

        using var response = await _http.PostAsJsonAsync("/v1.0/state/statestore/transaction", new
        {
            operations = new object[]
            {
                new { operation = "upsert", request = new { key = b, value = "new" } },
                new { operation = "delete", request = new { key = a } },
            },
        });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var getA = await _http.GetAsync($"/v1.0/state/statestore/{a}");
        using var getB = await _http.GetAsync($"/v1.0/state/statestore/{b}");
        Assert.Equal(HttpStatusCode.NoContent, getA.StatusCode);
        Assert.Equal("\"new\"", await getB.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Transaction_WithStaleETag_Returns500ErrStateTransaction()
    {
        var key = NewKey();
        using var saved = await SaveAsync(new { key, value = 1 });

        using var response = await _http.PostAsJsonAsync("/v1.0/state/statestore/transaction", new
        {
            operations = new[] { new { operation = "upsert", request = new { key, value = 2, etag = "12345" } } },
        });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("ERR_STATE_TRANSACTION", (await ErrorOf(response)).Code);
    }

    [Fact]
    public async Task UnknownStore_Returns400ErrStateStoreNotFound()
    {
        using var response = await _http.GetAsync($"/v1.0/state/nope/{NewKey()}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("ERR_STATE_STORE_NOT_FOUND", "state store nope is not found"), await ErrorOf(response));
    }

    [Fact]
    public async Task KeyWithDoublePipe_Returns400ErrMalformedRequest()
    {
        using var response = await SaveAsync(new { key = "a||b", value = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ERR_MALFORMED_REQUEST", (await ErrorOf(response)).Code);
    }

    [Fact]
    public async Task Save_WithMalformedBody_Returns400()
    {
        using var response = await _http.PostAsync("/v1.0/state/statestore", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ERR_MALFORMED_REQUEST", (await ErrorOf(response)).Code);
    }

    [Fact]
    public async Task Get_ItemWithTtl_ReturnsTtlExpireTimeHeader()
    {
        var key = NewKey();
        using var saved = await SaveAsync(new { key, value = 1, metadata = new { ttlInSeconds = "100" } });

        using var response = await _http.GetAsync($"/v1.0/state/statestore/{key}");

        var expires = DateTimeOffset.Parse(response.Headers.GetValues("metadata.ttlExpireTime").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(101));
    }
}

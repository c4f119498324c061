using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Catalog.Domain;
using Contracts;

namespace Catalog.Tests.Apis;

public class ItemsApiTests
{
    [Fact]
    public async Task GetItem_WhenMissing_Returns404Problem()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();

        var response = await http.GetAsync("/items/no-such-item");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal("Item not found", problem.GetProperty("title").GetString());
        Assert.Contains("no-such-item", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PutItem_WhenNew_Returns201WithLocationAndItem()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();

        var response = await http.PutItemAsync("widget-1", "Widget", 9.99m, 30);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/items/widget-1", response.Headers.Location?.OriginalString);
        var item = await response.JsonAsync();
        Assert.Equal(9.99m, item.GetProperty("price").GetDecimal());
        Assert.Equal(30, item.GetProperty("stock").GetInt32());
    }

    [Fact]
    public async Task PutItem_WhenExisting_Returns200AndReplaces()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", "Widget", 1m, 1);

        var response = await http.PutItemAsync("widget-1", "Widget v2", 2m, 5);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = await http.GetFromJsonAsync<JsonElement>("/items/widget-1");
        Assert.Equal("Widget v2", item.GetProperty("name").GetString());
        Assert.Equal(5, item.GetProperty("stock").GetInt32());
    }

    [Fact]
    public async Task GetItem_AfterPut_ReturnsExactlyIdNamePriceStock()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", "Widget", 9.99m, 10);
        await http.ReserveAsync("widget-1", "order-1", 2);

        var item = await http.GetFromJsonAsync<JsonElement>("/items/widget-1");

        Assert.Equal(["id", "name", "price", "stock"], item.EnumerateObject().Select(p => p.Name));
        Assert.Equal("widget-1", item.GetProperty("id").GetString());
        Assert.Equal(8, item.GetProperty("stock").GetInt32());
    }

    [Fact]
    public async Task PutItem_PublishesItemUpsertedWithCloudEventType()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();

        await http.PutItemAsync("widget-1", "Widget", 9.99m, 30);

        var published = Assert.Single(app.Dapr.PublishedEvents);
        Assert.Equal((DaprNames.PubSub, DaprNames.Topics.Items), (published.PubSubName, published.Topic));
        Assert.Equal(new ItemUpserted("widget-1", "Widget", 9.99m, 30), published.DataAs<ItemUpserted>());
        // daprd copies the written upsert's metadata into the CloudEvent: "type" becomes its type.
        Assert.Equal(DaprNames.EventTypes.ItemUpserted, published.Metadata["type"]);
    }

    [Fact]
    public async Task PutItem_WhenBodyInvalid_Returns400ValidationProblemNamingFields()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();

        var response = await http.PutItemAsync("widget-1", "", -1m, -3);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(["name", "price", "stock"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Empty(app.Dapr.PublishedEvents);
    }

    [Fact]
    public async Task PutItem_WhenIdIsNotASlug_Returns400ValidationProblem()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();

        var response = await http.PutItemAsync("Not%20A%20Slug");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Contains("not a valid item id", errors.GetProperty("id")[0].GetString());
    }

    [Fact]
    public async Task PutItem_WhenSidecarUnavailable_Returns503Problem()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        app.Dapr.InjectStateFailures(1);

        var response = await http.PutItemAsync("widget-1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task DeleteItem_Returns204AndIsIdempotent()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1");

        var first = await http.DeleteAsync("/items/widget-1");
        var second = await http.DeleteAsync("/items/widget-1");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/items/widget-1")).StatusCode);
    }

    [Fact]
    public async Task ListItems_PagesThroughEveryItemWithTheCursor()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        var ids = Enumerable.Range(0, 25).Select(i => $"item-{i:D2}").ToList();
        foreach (var id in ids)
        {
            await http.PutItemAsync(id);
        }

        var seen = new List<string>();
        var pageSizes = new List<int>();
        string? cursor = null;
        do
        {
            var page = await http.GetFromJsonAsync<JsonElement>(
                cursor is null ? "/items?limit=10" : $"/items?limit=10&cursor={cursor}");
            var items = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
            seen.AddRange(items);
            pageSizes.Add(items.Count);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal([10, 10, 5], pageSizes);
        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task ListItems_WithoutLimit_ReturnsTwentyAndACursor()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        for (var i = 0; i < 21; i++)
        {
            await http.PutItemAsync($"item-{i:D2}");
        }

        var page = await http.GetFromJsonAsync<JsonElement>("/items");

        Assert.Equal(20, page.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.String, page.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task ListItems_WhenEmpty_ReturnsNoItemsAndNullCursor()
    {
        await using var app = new CatalogApp();

        var page = await app.CreateClient().GetFromJsonAsync<JsonElement>("/items");

        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task ListItems_AfterDelete_NoLongerListsTheItem()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("keep");
        await http.PutItemAsync("remove");

        await http.DeleteAsync("/items/remove");

        var page = await http.GetFromJsonAsync<JsonElement>("/items");
        Assert.Equal(["keep"], page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=many", "limit")]
    [InlineData("cursor=%2A%2A%2A", "cursor")]
    public async Task ListItems_WhenQueryInvalid_Returns400NamingTheParameter(string query, string field)
    {
        await using var app = new CatalogApp();

        var response = await app.CreateClient().GetAsync($"/items?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task PutItem_WhenIndexWritesConflict_RetriesAndListsTheItem()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        app.Dapr.InjectETagConflicts(3, key: $"items-index:{IndexBuckets.Of("widget-1"):D2}");

        var response = await http.PutItemAsync("widget-1");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(3, app.Dapr.RejectedStateWrites);
        var page = await http.GetFromJsonAsync<JsonElement>("/items");
        Assert.Equal("widget-1", page.GetProperty("items")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task ConcurrentCreatesAndDeletes_NeverLoseAnIdFromTheIndex()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        // 30 concurrent index writers, fewer than OptimisticConcurrency:MaxAttempts (32): each lost round means another writer
        // won, so every writer is bound to get through.
        var doomed = Enumerable.Range(0, 10).Select(i => $"doomed-{i:D2}").ToList();
        foreach (var id in doomed)
        {
            await http.PutItemAsync(id);
        }

        var kept = Enumerable.Range(0, 20).Select(i => $"kept-{i:D2}").ToList();
        var responses = await Task.WhenAll(kept.Select(id => http.PutItemAsync(id))
            .Concat(doomed.Select(id => http.DeleteAsync($"/items/{id}"))));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, $"{r.RequestMessage?.Method} {r.RequestMessage?.RequestUri} answered {r.StatusCode}"));
        var page = await http.GetFromJsonAsync<JsonElement>("/items?limit=100");
        Assert.Equal(kept, page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
        Assert.True(app.Dapr.RejectedStateWrites > 0, "the test should have made index writes collide");
    }
}

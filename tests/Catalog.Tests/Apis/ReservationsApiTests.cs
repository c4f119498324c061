using System.Net;
using System.Net.Http.Json;
using Catalog.Domain;
using Contracts;
using ServiceDefaults.State;

namespace Catalog.Tests.Apis;

public class ReservationsApiTests
{
    [Fact]
    public async Task Reserve_WhenStockSuffices_Returns201ReservationAndTakesStock()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", price: 4.25m, stock: 10);

        var response = await http.ReserveAsync("widget-1", "order-1", 3);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/items/widget-1/reservations/order-1", response.Headers.Location?.OriginalString);
        Assert.Equal(new Reservation("widget-1", "order-1", 3, 4.25m), await response.Content.ReadFromJsonAsync<Reservation>());
        Assert.Equal(7, await http.StockOfAsync("widget-1"));
    }

    [Fact]
    public async Task Reserve_WhenRepeatedForSameOrder_Returns200SameReservationAndReservesOnce()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", price: 2m, stock: 10);
        var first = await (await http.ReserveAsync("widget-1", "order-1", 4)).Content.ReadFromJsonAsync<Reservation>();

        var repeat = await http.ReserveAsync("widget-1", "order-1", 4);

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(first, await repeat.Content.ReadFromJsonAsync<Reservation>());
        Assert.Equal(6, await http.StockOfAsync("widget-1"));
    }

    [Fact]
    public async Task Reserve_WhenRepeatedForSameOrderWithAnotherQuantity_Returns409ProblemAndKeepsTheFirst()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", stock: 10);
        await http.ReserveAsync("widget-1", "order-1", 4);

        var repeat = await http.ReserveAsync("widget-1", "order-1", 5);

        Assert.Equal(HttpStatusCode.Conflict, repeat.StatusCode);
        Assert.Equal("application/problem+json", repeat.Content.Headers.ContentType?.MediaType);
        var problem = await repeat.JsonAsync();
        Assert.Equal((4, 5), (problem.GetProperty("held").GetInt32(), problem.GetProperty("requested").GetInt32()));
        Assert.Equal(6, await http.StockOfAsync("widget-1"));
    }

    [Fact]
    public async Task Reserve_WhenStockIsShort_Returns409SayingHowManyAreAvailable()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", stock: 2);

        var response = await http.ReserveAsync("widget-1", "order-1", 3);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal("Not enough stock", problem.GetProperty("title").GetString());
        Assert.Contains("2 unit(s) available", problem.GetProperty("detail").GetString());
        Assert.Equal(2, problem.GetProperty("available").GetInt32());
        Assert.Equal(2, await http.StockOfAsync("widget-1"));
    }

    [Fact]
    public async Task Reserve_WhenItemUnknown_Returns404Problem()
    {
        await using var app = new CatalogApp();

        var response = await app.CreateClient().ReserveAsync("ghost", "order-1", 1);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Item not found", (await response.JsonAsync()).GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("order-1", 0, "quantity")]
    [InlineData("", 1, "orderId")]
    public async Task Reserve_WhenRequestInvalid_Returns400NamingTheField(string orderId, int quantity, string field)
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", stock: 5);

        var response = await http.ReserveAsync("widget-1", orderId, quantity);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(5, await http.StockOfAsync("widget-1"));
    }

    [Fact]
    public async Task Release_GivesStockBackAndIsIdempotent()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", stock: 10);
        await http.ReserveAsync("widget-1", "order-1", 4);

        var first = await http.DeleteAsync("/items/widget-1/reservations/order-1");
        var second = await http.DeleteAsync("/items/widget-1/reservations/order-1");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.Equal(10, await http.StockOfAsync("widget-1"));
    }

    [Fact]
    public async Task Release_WhenOrderHoldsNothingOrItemIsGone_Returns204()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", stock: 10);

        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync("/items/widget-1/reservations/order-x")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync("/items/ghost/reservations/order-x")).StatusCode);
        Assert.Equal(10, await http.StockOfAsync("widget-1"));
    }

    [Fact]
    public async Task Reserve_AfterRelease_ReservesAgainForThatOrder()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", stock: 10);
        await http.ReserveAsync("widget-1", "order-1", 4);
        await http.DeleteAsync("/items/widget-1/reservations/order-1");

        var again = await http.ReserveAsync("widget-1", "order-1", 2);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(8, await http.StockOfAsync("widget-1"));
    }

    [Fact]
    public async Task PutItem_WhileReservationsAreHeld_KeepsThemReleasable()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", stock: 10);
        await http.ReserveAsync("widget-1", "order-1", 4);

        await http.PutItemAsync("widget-1", stock: 20);
        await http.DeleteAsync("/items/widget-1/reservations/order-1");

        Assert.Equal(24, await http.StockOfAsync("widget-1"));
    }

    [Fact]
    public async Task Reserve_WhenETagConflictsAreInjected_RetriesAndReservesOnce()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", stock: 10);
        app.Dapr.InjectETagConflicts(3, key: "item:widget-1");
        var rejectedBefore = app.Dapr.RejectedStateWrites;

        var response = await http.ReserveAsync("widget-1", "order-1", 2);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(3, app.Dapr.RejectedStateWrites - rejectedBefore);
        Assert.Equal(8, await http.StockOfAsync("widget-1"));
    }

    [Fact]
    public async Task Reserve_WhenConflictsOutlastEveryAttempt_Returns503ProblemAndTakesNothing()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", stock: 10);
        app.Dapr.InjectETagConflicts(new OptimisticConcurrencyOptions().MaxAttempts, key: "item:widget-1");

        var response = await http.ReserveAsync("widget-1", "order-1", 2);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal("Busy, retry shortly", problem.GetProperty("title").GetString());
        Assert.Contains("changed nothing", problem.GetProperty("detail").GetString());
        Assert.Equal("1", response.Headers.RetryAfter?.ToString());
        Assert.Equal(10, await http.StockOfAsync("widget-1"));
    }

    [Fact]
    public async Task Reserve_HundredConcurrentOrdersAgainstStockOf30_ReservesExactly30()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        await http.PutItemAsync("widget-1", stock: 30);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100)
            .Select(i => http.ReserveAsync("widget-1", $"order-{i:D3}", 1)));

        Assert.Equal(30, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(70, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(0, await http.StockOfAsync("widget-1"));
        var stored = app.Dapr.PeekState<CatalogItem>(DaprNames.CatalogStore, "item:widget-1")!;
        Assert.Equal(30, stored.Reservations.Count);
        Assert.True(app.Dapr.RejectedStateWrites > 0, "the reservations should have collided on the item's ETag");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Contracts;

namespace Notifications.Tests;

public sealed class NotificationsApiTests(NotificationsApiFactory factory) : IClassFixture<NotificationsApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static string NewOrderId() => $"order-{Guid.NewGuid():N}";

    private static string NewEventId() => Guid.NewGuid().ToString();

    private async Task<string> DeliverAsync(string route, string eventId, string type, string topic, object? data)
    {
        factory.Time.Advance(TimeSpan.FromSeconds(1));
        var response = await _client.PostAsync(route, CloudEvents.Create(eventId, type, topic, data));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()!;
    }

    private Task<string> CompletedAsync(string orderId, string eventId) =>
        DeliverAsync("/events/orders/completed", eventId, DaprNames.EventTypes.OrderCompleted, DaprNames.Topics.Orders,
            new { orderId, customerId = "customer-1", total = 60.5m });

    private Task<string> CancelledAsync(string orderId, string eventId) =>
        DeliverAsync("/events/orders/cancelled", eventId, DaprNames.EventTypes.OrderCancelled, DaprNames.Topics.Orders,
            new { orderId, customerId = "customer-1", reason = "approval timed out" });

    private async Task<JsonElement[]> ListAsync(string query = "") =>
        (await _client.GetFromJsonAsync<JsonElement[]>($"/notifications{query}"))!;

    [Fact]
    public async Task OrderCompleted_RedeliveredWithTheSameId_IsRecordedOnce()
    {
        var orderId = NewOrderId();
        var eventId = NewEventId();

        Assert.Equal("SUCCESS", await CompletedAsync(orderId, eventId));
        Assert.Equal("SUCCESS", await CompletedAsync(orderId, eventId));

        var recorded = Assert.Single(await ListAsync($"?orderId={orderId}"));
        Assert.Equal(eventId, recorded.GetProperty("eventId").GetString());
        Assert.Equal("order.completed", recorded.GetProperty("type").GetString());
        Assert.Contains("60.50", recorded.GetProperty("message").GetString());
    }

    [Fact]
    public async Task OrderCompleted_DeliveredConcurrentlyWithTheSameId_IsRecordedOnce()
    {
        var orderId = NewOrderId();
        var eventId = NewEventId();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => CompletedAsync(orderId, eventId)));

        Assert.All(statuses, s => Assert.Equal("SUCCESS", s));
        Assert.Single(await ListAsync($"?orderId={orderId}"));
    }

    [Fact]
    public async Task OrderEvents_WithDifferentIds_AreEachRecorded_MostRecentFirst()
    {
        var orderId = NewOrderId();

        await CompletedAsync(orderId, NewEventId());
        await CancelledAsync(orderId, NewEventId());

        var recorded = await ListAsync($"?orderId={orderId}");
        Assert.Equal(["order.cancelled", "order.completed"], recorded.Select(n => n.GetProperty("type").GetString()));
        Assert.Contains("approval timed out", recorded[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Get_FilteredByOrderId_ListsOnlyThatOrder_AndUnfilteredListsBoth()
    {
        var first = NewOrderId();
        var second = NewOrderId();
        await CompletedAsync(first, NewEventId());
        await CancelledAsync(second, NewEventId());

        var filtered = await ListAsync($"?orderId={first}");
        var all = await ListAsync();

        Assert.All(filtered, n => Assert.Equal(first, n.GetProperty("orderId").GetString()));
        Assert.Single(filtered);
        var allOrderIds = all.Select(n => n.TryGetProperty("orderId", out var id) ? id.GetString() : null).ToList();
        Assert.Contains(first, allOrderIds);
        Assert.Contains(second, allOrderIds);
        Assert.True(allOrderIds.IndexOf(second) < allOrderIds.IndexOf(first), "the most recent notification comes first");
    }

    [Fact]
    public async Task Get_WithALimit_ReturnsAtMostThatMany()
    {
        await CompletedAsync(NewOrderId(), NewEventId());
        await CompletedAsync(NewOrderId(), NewEventId());

        Assert.Single(await ListAsync("?limit=1"));
    }

    [Theory]
    [InlineData("?orderId=bad%7C%7Cid")]
    [InlineData("?limit=0")]
    [InlineData("?limit=10000")]
    public async Task Get_WithInvalidQuery_Returns400(string query)
    {
        var response = await _client.GetAsync($"/notifications{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task OrderEvent_WithMalformedData_IsDroppedAndNotRecorded()
    {
        var orderId = NewOrderId();
        var eventId = NewEventId();

        var status = await DeliverAsync("/events/orders/completed", eventId, DaprNames.EventTypes.OrderCompleted,
            DaprNames.Topics.Orders, new { customerId = "customer-1" });

        Assert.Equal("DROP", status);
        Assert.DoesNotContain(await ListAsync(), n => n.GetProperty("eventId").GetString() == eventId);
    }

    [Fact]
    public async Task OrderEvent_WithDataThatIsNotJson_IsDropped()
    {
        var json = $$"""{"specversion":"1.0","id":"{{NewEventId()}}","source":"orders","type":"order.completed","datacontenttype":"application/json","data":"not an order"}""";

        var response = await _client.PostAsync("/events/orders/completed", CloudEvents.Raw(json));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DROP", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task OrderEvent_OfUnknownType_TakesTheDefaultRouteAndIsDropped()
    {
        var status = await DeliverAsync("/events/orders", NewEventId(), "order.shipped", DaprNames.Topics.Orders, new { orderId = NewOrderId() });

        Assert.Equal("DROP", status);
    }

    [Fact]
    public async Task DeadLetter_IsRecordedOnceWithItsOrderId()
    {
        var orderId = NewOrderId();
        var eventId = NewEventId();

        Assert.Equal("SUCCESS", await DeliverAsync("/events/orders-deadletter", eventId, "order.shipped", DaprNames.Topics.OrdersDeadLetter, new { orderId }));
        Assert.Equal("SUCCESS", await DeliverAsync("/events/orders-deadletter", eventId, "order.shipped", DaprNames.Topics.OrdersDeadLetter, new { orderId }));

        var recorded = Assert.Single(await ListAsync($"?orderId={orderId}"));
        Assert.Equal("orders-deadletter", recorded.GetProperty("topic").GetString());
        Assert.Equal("order.shipped", recorded.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ItemUpserted_IsRecorded()
    {
        var eventId = NewEventId();

        var status = await DeliverAsync("/events/items", eventId, DaprNames.EventTypes.ItemUpserted, DaprNames.Topics.Items,
            new { id = "keyboard", name = "Keyboard", price = 40m, stock = 12 });

        Assert.Equal("SUCCESS", status);
        var recorded = Assert.Single(await ListAsync(), n => n.GetProperty("eventId").GetString() == eventId);
        Assert.Equal("items", recorded.GetProperty("topic").GetString());
        Assert.Contains("keyboard", recorded.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Subscribe_RoutesOrdersByTypeWithADeadLetterTopic()
    {
        var subscriptions = (await _client.GetFromJsonAsync<JsonElement[]>("/dapr/subscribe"))!;

        var orders = Assert.Single(subscriptions, s => s.GetProperty("topic").GetString() == "orders");
        Assert.Equal("pubsub", orders.GetProperty("pubsubName").GetString());
        Assert.Equal("orders-deadletter", orders.GetProperty("deadLetterTopic").GetString());
        var routes = orders.GetProperty("routes");
        var rules = routes.GetProperty("rules").EnumerateArray()
            .Select(r => (r.GetProperty("match").GetString(), r.GetProperty("path").GetString())).ToList();
        Assert.Equal(
            [("event.type == \"order.completed\"", "events/orders/completed"), ("event.type == \"order.cancelled\"", "events/orders/cancelled")],
            rules);
        Assert.Equal("events/orders", routes.GetProperty("default").GetString());
    }

    [Fact]
    public async Task Subscribe_ListsTheDeadLetterAndItemsTopics()
    {
        var subscriptions = (await _client.GetFromJsonAsync<JsonElement[]>("/dapr/subscribe"))!;

        Assert.Contains(subscriptions, s => s.GetProperty("topic").GetString() == "orders-deadletter"
            && s.GetProperty("route").GetString() == "events/orders-deadletter");
        Assert.Contains(subscriptions, s => s.GetProperty("topic").GetString() == "items"
            && s.GetProperty("route").GetString() == "events/items");
    }
}

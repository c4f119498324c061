using System.Net;

namespace EndToEnd.Tests.WholeSystem;

/// <summary>
/// Orders end to end: the workflow in the local sidecar's engine reserving in catalog, waiting for approval, charging
/// in payments and announcing the outcome to notifications, all through the sidecars (approval above 500, payments up
/// to 1000, approval timeout 8 s: <see cref="SystemFixture.Settings"/>).
/// </summary>
public abstract class OrdersSystemTests(SystemFixture fixture)
{
    private const string Customer = "cust-e2e";

    private static readonly TimeSpan OrderTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    private static string NewId(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Order_UnderTheThreshold_Completes_ChargesTheTotal_TakesTheStock_AndIsAnnounced()
    {
        var system = await fixture.RunningAsync();
        var (itemId, orderId) = (NewId("mug"), NewId("order"));
        await CreateItemAsync(system, itemId, price: 12.5m, stock: 10);

        await PlaceAsync(system, orderId, itemId, 3);
        var order = await system.WaitForOrderAsync(orderId, "Completed", OrderTimeout);

        Assert.Equal(37.5m, order.Total);
        Assert.Null(order.Reason);
        Assert.Equal(7, (await system.GetItemAsync(itemId)).As<ItemView>().Stock);
        var payment = await system.GetPaymentAsync(orderId);
        Assert.True(payment.Status == HttpStatusCode.OK, $"payment: {payment}");
        Assert.Equal(("Approved", 37.5m), (payment.As<PaymentView>().Status, payment.As<PaymentView>().Amount));
        await system.WaitForOrderNotificationAsync(orderId, "order.completed", EventTimeout);
    }

    [Fact]
    public async Task Order_AboveTheThreshold_AwaitsApproval_AndCompletesWhenApproved()
    {
        var system = await fixture.RunningAsync();
        var (itemId, orderId) = (NewId("chair"), NewId("order"));
        await CreateItemAsync(system, itemId, price: 300m, stock: 5);

        await PlaceAsync(system, orderId, itemId, 2);
        var waiting = await system.WaitForOrderAsync(orderId, "AwaitingApproval", OrderTimeout);
        var decided = await system.DecideApprovalAsync(orderId, approved: true);
        var order = await system.WaitForOrderAsync(orderId, "Completed", OrderTimeout);

        Assert.Equal(600m, waiting.Total);
        Assert.True(decided.Status == HttpStatusCode.Accepted, $"approval: {decided}");
        Assert.Equal(600m, order.Total);
        Assert.Equal(3, (await system.GetItemAsync(itemId)).As<ItemView>().Stock);
        await system.WaitForOrderNotificationAsync(orderId, "order.completed", EventTimeout);
    }

    [Fact]
    public async Task Order_AboveTheThreshold_WhenNobodyDecides_IsRejectedAfterTheTimeout_AndReleasesItsStock()
    {
        var system = await fixture.RunningAsync();
        var (itemId, orderId) = (NewId("desk"), NewId("order"));
        await CreateItemAsync(system, itemId, price: 400m, stock: 4);

        await PlaceAsync(system, orderId, itemId, 2);
        await system.WaitForOrderAsync(orderId, "AwaitingApproval", OrderTimeout);
        Assert.Equal(2, (await system.GetItemAsync(itemId)).As<ItemView>().Stock);
        var order = await system.WaitForOrderAsync(orderId, "Rejected", OrderTimeout);

        Assert.Contains("timed out", order.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, (await system.GetItemAsync(itemId)).As<ItemView>().Stock);
        var cancelled = await system.WaitForOrderNotificationAsync(orderId, "order.cancelled", EventTimeout);
        Assert.Contains("timed out", cancelled.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Order_WhenThePaymentIsDeclined_IsCancelled_AndReleasesItsStock()
    {
        var system = await fixture.RunningAsync();
        var (itemId, orderId) = (NewId("sofa"), NewId("order"));
        await CreateItemAsync(system, itemId, price: 600m, stock: 3);

        // 1200 is above the approval threshold too: approve it so it reaches payments, whose limit is 1000.
        await PlaceAsync(system, orderId, itemId, 2);
        await system.WaitForOrderAsync(orderId, "AwaitingApproval", OrderTimeout);
        var decided = await system.DecideApprovalAsync(orderId, approved: true);
        Assert.True(decided.Status == HttpStatusCode.Accepted, $"approval: {decided}");
        var order = await system.WaitForOrderAsync(orderId, "Cancelled", OrderTimeout);

        Assert.Contains("exceeds the limit of 1000", order.Reason, StringComparison.Ordinal);
        Assert.Equal(1200m, order.Total);
        Assert.Equal(3, (await system.GetItemAsync(itemId)).As<ItemView>().Stock);
        var payment = await system.GetPaymentAsync(orderId);
        Assert.True(payment.Status == HttpStatusCode.OK, $"payment: {payment}");
        Assert.Equal("Declined", payment.As<PaymentView>().Status);
        await system.WaitForOrderNotificationAsync(orderId, "order.cancelled", EventTimeout);
    }

    [Fact]
    public async Task Order_WhoseTotalWouldOverflow_EndsCancelled_AndLeavesNoStockReserved()
    {
        var system = await fixture.RunningAsync();
        var (itemId, orderId) = (NewId("gold"), NewId("order"));

        // decimal.MaxValue: once catalog bounds prices it refuses this item, naming the price; until then the order
        // must still end, with its stock given back. Either way no stock stays held.
        var created = await system.PutItemAsync(itemId, itemId, decimal.MaxValue, stock: 5);
        if (created.Status == HttpStatusCode.BadRequest)
        {
            Assert.Contains("price", created.Body, StringComparison.OrdinalIgnoreCase);
            return;
        }

        Assert.True(created.Status == HttpStatusCode.Created, $"PUT item: {created}");
        await PlaceAsync(system, orderId, itemId, 2);
        var order = await system.WaitForOrderAsync(orderId, "Cancelled", OrderTimeout);

        Assert.Contains("total", order.Reason, StringComparison.OrdinalIgnoreCase);
        await system.WaitForStockAsync(itemId, 5, EventTimeout);
        await system.WaitForOrderNotificationAsync(orderId, "order.cancelled", EventTimeout);
    }

    [Fact]
    public async Task Order_PostedAgainAndConcurrently_StartsOnce_TakesTheStockOnce_AndAnotherBodyUnderItsIdIs409()
    {
        var system = await fixture.RunningAsync();
        var (itemId, orderId) = (NewId("pen"), NewId("order"));
        await CreateItemAsync(system, itemId, price: 5m, stock: 10);

        var first = await system.CreateOrderAsync(orderId, Customer, itemId, 2);
        var repeats = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => system.CreateOrderAsync(orderId, Customer, itemId, 2)));
        var other = await system.CreateOrderAsync(orderId, Customer, itemId, 3);
        var order = await system.WaitForOrderAsync(orderId, "Completed", OrderTimeout);

        Assert.True(first.Status == HttpStatusCode.Accepted, $"first POST: {first}");
        Assert.All(repeats, r => Assert.True(r.Status == HttpStatusCode.Accepted, $"repeated POST: {r}"));
        Assert.True(other.Status == HttpStatusCode.Conflict && other.MediaType == "application/problem+json", $"POST with other lines: {other}");
        Assert.Equal(10m, order.Total);
        Assert.Equal(8, (await system.GetItemAsync(itemId)).As<ItemView>().Stock);
        var payment = await system.GetPaymentAsync(orderId);
        Assert.Equal(("Approved", 10m), (payment.As<PaymentView>().Status, payment.As<PaymentView>().Amount));
        var again = await system.CreateOrderAsync(orderId, Customer, itemId, 2);
        Assert.True(again.Status == HttpStatusCode.Accepted && again.Body.Contains("Completed", StringComparison.Ordinal), $"POST after completion: {again}");
        Assert.Equal(8, (await system.GetItemAsync(itemId)).As<ItemView>().Stock);
    }

    [Fact]
    public async Task Order_ForAnItemCatalogRefusesOrDoesNotKnow_IsCancelled_NotFailedAfterRetries()
    {
        var system = await fixture.RunningAsync();
        var orderId = NewId("order");

        await PlaceAsync(system, orderId, $"Mouse-{Guid.NewGuid():N}", 1);
        var order = await system.WaitForOrderAsync(orderId, "Cancelled", OrderTimeout);

        Assert.False(string.IsNullOrEmpty(order.Reason));
    }

    [Fact]
    public async Task Order_WithAnIdEndingInANewline_Is400NamingTheField_AndNothingIsStarted()
    {
        var system = await fixture.RunningAsync();
        var orderId = NewId("order");

        var refused = await system.CreateOrderAsync(orderId + "\n", Customer, "anything", 1);
        var read = await system.GetOrderAsync(orderId);

        Assert.True(refused.Status == HttpStatusCode.BadRequest && refused.Body.Contains("orderId", StringComparison.Ordinal), $"POST: {refused}");
        Assert.True(read.Status == HttpStatusCode.NotFound, $"GET after the refused POST: {read}");
    }

    private static async Task CreateItemAsync(SystemClient system, string itemId, decimal price, int stock)
    {
        var created = await system.PutItemAsync(itemId, itemId, price, stock);
        Assert.True(created.Status == HttpStatusCode.Created, $"PUT item: {created}");
    }

    private static async Task PlaceAsync(SystemClient system, string orderId, string itemId, int quantity)
    {
        var accepted = await system.CreateOrderAsync(orderId, Customer, itemId, quantity);
        Assert.True(accepted.Status == HttpStatusCode.Accepted, $"POST order: {accepted}");
    }
}

[Collection(EmbeddedSystemCollection.Name)]
public sealed class OrdersOnEmbedded(EmbeddedSystemFixture fixture) : OrdersSystemTests(fixture);

[Collection(RedisSystemCollection.Name)]
public sealed class OrdersOnRedis(RedisSystemFixture fixture) : OrdersSystemTests(fixture);

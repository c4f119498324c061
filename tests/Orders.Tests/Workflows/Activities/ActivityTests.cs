using System.Net;
using System.Net.Http.Json;
using Contracts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orders.Infrastructure;
using Orders.Models;
using Orders.Workflows.Activities;
using ServiceDefaults.State;
using TestDoubles;

namespace Orders.Tests.Workflows.Activities;

/// <summary>The activities against <see cref="FakeDaprClient"/>: what each treats as an answer and what as a failure to retry.</summary>
public sealed class ActivityTests
{
    private readonly FakeDaprClient _dapr = new();
    private readonly string _orderId = $"order-{Guid.NewGuid():N}";

    private FakeActivityContext Context(string activity) => new(_orderId, activity);

    private OrderStore Store() => new(_dapr, new OptimisticState(
        _dapr, Options.Create(new OptimisticConcurrencyOptions()), NullLogger<OptimisticState>.Instance));

    private static HttpResponseMessage Answer(HttpStatusCode status, object? body = null) =>
        new(status) { Content = body is null ? new StringContent(string.Empty) : JsonContent.Create(body) };

    private void Answer(HttpResponseMessage response) =>
        _dapr.OnInvoke((_, _, _, _) => Task.FromResult<object?>(response));

    [Fact]
    public async Task ReserveItem_WhenCatalogReserves_ReturnsTheUnitPrice()
    {
        _dapr.OnInvoke((_, _, _, _) => Task.FromResult<object?>(new Reservation("keyboard", _orderId, 2, 40m)));
        var activity = new ReserveItemActivity(new AppClients(_dapr), NullLogger<ReserveItemActivity>.Instance);

        var result = await activity.RunAsync(Context(nameof(ReserveItemActivity)), new ReserveItem(_orderId, "keyboard", 2));

        Assert.Equal(new ReservationResult(true, 40m, null), result);
        var call = Assert.Single(_dapr.Invocations);
        Assert.Equal((HttpMethod.Post, "catalog", "items/keyboard/reservations"), (call.Method, call.AppId, call.MethodName));
        Assert.Equal(new ReservationRequest(_orderId, 2), call.BodyAs<ReservationRequest>());
    }

    [Fact]
    public async Task ReserveItem_WhenStockIsShort_ReturnsRefusedWithCatalogsReason()
    {
        Answer(Answer(HttpStatusCode.Conflict, new { title = "Insufficient stock", detail = "Only 1 of 'keyboard' left." }));
        var activity = new ReserveItemActivity(new AppClients(_dapr), NullLogger<ReserveItemActivity>.Instance);

        var result = await activity.RunAsync(Context(nameof(ReserveItemActivity)), new ReserveItem(_orderId, "keyboard", 2));

        Assert.Equal(new ReservationResult(false, 0m, "Only 1 of 'keyboard' left."), result);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task ReserveItem_WhenCatalogRefusesTheItem_ReturnsRefused_SoTheOrderIsCancelledNotRetried(HttpStatusCode status)
    {
        Answer(Answer(status, new { title = "Invalid item", detail = "Item 'Mouse' is not an item id." }));
        var activity = new ReserveItemActivity(new AppClients(_dapr), NullLogger<ReserveItemActivity>.Instance);

        var result = await activity.RunAsync(Context(nameof(ReserveItemActivity)), new ReserveItem(_orderId, "Mouse", 1));

        Assert.Equal(new ReservationResult(false, 0m, "Item 'Mouse' is not an item id."), result);
    }

    [Fact]
    public async Task CreateOrderRecord_WritesPendingOnce_AndKeepsARecordTheApiWroteFirst()
    {
        var store = Store();
        var activity = new CreateOrderRecordActivity(store);
        var input = new Orders.Workflows.OrderWorkflowInput(_orderId, "customer-1", [new OrderLine("keyboard", 1)], 500m, TimeSpan.FromMinutes(1));

        await activity.RunAsync(Context(nameof(CreateOrderRecordActivity)), input);
        await store.UpdateAsync(_orderId, o => o with { Status = OrderStatus.AwaitingApproval }, CancellationToken.None);
        await activity.RunAsync(Context(nameof(CreateOrderRecordActivity)), input);

        Assert.Equal(OrderStatus.AwaitingApproval, _dapr.PeekState<Order>(DaprNames.StateStore, OrderStore.Key(_orderId))?.Status);
    }

    [Fact]
    public async Task ReserveItem_WhenCatalogFails_ThrowsSoTheRetryPolicyApplies()
    {
        Answer(Answer(HttpStatusCode.InternalServerError));
        var activity = new ReserveItemActivity(new AppClients(_dapr), NullLogger<ReserveItemActivity>.Instance);

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            activity.RunAsync(Context(nameof(ReserveItemActivity)), new ReserveItem(_orderId, "keyboard", 2)));
    }

    [Fact]
    public async Task ChargePayment_WhenDeclined_ReturnsDeclinedWithTheReason()
    {
        _dapr.OnInvoke((_, _, _, _) => Task.FromResult<object?>(
            new Payment(_orderId, "customer-1", 80m, "Declined", "Insufficient funds.", DateTimeOffset.UnixEpoch)));
        var activity = new ChargePaymentActivity(new AppClients(_dapr), NullLogger<ChargePaymentActivity>.Instance);

        var result = await activity.RunAsync(Context(nameof(ChargePaymentActivity)), new PaymentRequest(_orderId, "customer-1", 80m));

        Assert.Equal(new PaymentResult(false, "Insufficient funds."), result);
        Assert.Equal((HttpMethod.Post, "payments", "payments"), (_dapr.Invocations[0].Method, _dapr.Invocations[0].AppId, _dapr.Invocations[0].MethodName));
    }

    [Fact]
    public async Task ChargePayment_WhenApproved_ReturnsApproved()
    {
        _dapr.OnInvoke((_, _, _, _) => Task.FromResult<object?>(
            new Payment(_orderId, "customer-1", 80m, "Approved", null, DateTimeOffset.UnixEpoch)));
        var activity = new ChargePaymentActivity(new AppClients(_dapr), NullLogger<ChargePaymentActivity>.Instance);

        var result = await activity.RunAsync(Context(nameof(ChargePaymentActivity)), new PaymentRequest(_orderId, "customer-1", 80m));

        Assert.Equal(new PaymentResult(true, null), result);
    }

    [Fact]
    public async Task ChargePayment_WhenPaymentsIsUnavailable_Throws()
    {
        Answer(Answer(HttpStatusCode.ServiceUnavailable));
        var activity = new ChargePaymentActivity(new AppClients(_dapr), NullLogger<ChargePaymentActivity>.Instance);

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            activity.RunAsync(Context(nameof(ChargePaymentActivity)), new PaymentRequest(_orderId, "customer-1", 80m)));
    }

    [Fact]
    public async Task ReleaseReservation_WhenAlreadyReleased_Succeeds()
    {
        Answer(Answer(HttpStatusCode.NotFound));
        var activity = new ReleaseReservationActivity(new AppClients(_dapr), NullLogger<ReleaseReservationActivity>.Instance);

        Assert.True(await activity.RunAsync(Context(nameof(ReleaseReservationActivity)), new ReleaseReservation(_orderId, "keyboard")));
        Assert.Equal((HttpMethod.Delete, $"items/keyboard/reservations/{_orderId}"), (_dapr.Invocations[0].Method, _dapr.Invocations[0].MethodName));
    }

    [Fact]
    public async Task ReleaseReservation_WhenCatalogIsUnavailable_ThrowsForTheCompensationRetryPolicy()
    {
        Answer(Answer(HttpStatusCode.ServiceUnavailable));
        var activity = new ReleaseReservationActivity(new AppClients(_dapr), NullLogger<ReleaseReservationActivity>.Instance);

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            activity.RunAsync(Context(nameof(ReleaseReservationActivity)), new ReleaseReservation(_orderId, "keyboard")));
    }

    [Fact]
    public async Task UpdateOrderStatus_WhenAnotherWriterInterferes_RetriesWithTheNewETag()
    {
        _dapr.SetState(DaprNames.StateStore, OrderStore.Key(_orderId),
            new Order(_orderId, "customer-1", [new OrderLine("keyboard", 1)], OrderStatus.Pending, 0m, null));
        _dapr.InjectETagConflicts(2, OrderStore.Key(_orderId));
        var activity = new UpdateOrderStatusActivity(Store(), new OrderMetrics(TestMeters.Factory()));

        await activity.RunAsync(Context(nameof(UpdateOrderStatusActivity)), new OrderStatusUpdate(_orderId, OrderStatus.Completed, 40m, null));

        var stored = _dapr.PeekState<Order>(DaprNames.StateStore, OrderStore.Key(_orderId));
        Assert.Equal((OrderStatus.Completed, 40m), (stored!.Status, stored.Total));
        Assert.Equal(2, _dapr.RejectedStateWrites);
    }

    [Fact]
    public async Task PublishOrderCancelled_PublishesOnOrdersTopicWithTheCloudEventType()
    {
        var activity = new PublishOrderCancelledActivity(_dapr);
        var cancelled = new OrderCancelled(_orderId, "customer-1", "approval timed out");

        await activity.RunAsync(Context(nameof(PublishOrderCancelledActivity)), cancelled);

        var published = Assert.Single(_dapr.PublishedEvents);
        Assert.Equal(("pubsub", "orders", (object?)cancelled), (published.PubSubName, published.Topic, published.Data));
        Assert.Equal("order.cancelled", published.Metadata["cloudevent.type"]);
        Assert.Equal($"{_orderId}:order.cancelled", published.Metadata["cloudevent.id"]);
    }

    [Fact]
    public async Task PublishOrderCompleted_PublishesOnOrdersTopicWithTheCloudEventType()
    {
        var activity = new PublishOrderCompletedActivity(_dapr);

        await activity.RunAsync(Context(nameof(PublishOrderCompletedActivity)), new OrderCompleted(_orderId, "customer-1", 40m));

        var published = Assert.Single(_dapr.PublishedEvents);
        Assert.Equal("orders", published.Topic);
        Assert.Equal("order.completed", published.Metadata["cloudevent.type"]);
        Assert.Equal($"{_orderId}:order.completed", published.Metadata["cloudevent.id"]);
    }
}

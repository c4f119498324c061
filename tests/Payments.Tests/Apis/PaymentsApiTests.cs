using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Payments.Tests.Apis;

public class PaymentsApiTests
{
    private static Task<HttpResponseMessage> ChargeAsync(HttpClient http, string orderId, decimal amount, string customerId = "customer-1") =>
        http.PostAsJsonAsync("/payments", new { orderId, customerId, amount });

    [Fact]
    public async Task Charge_WhenWithinLimit_Returns200Approved()
    {
        await using var app = new PaymentsApp();

        var response = await ChargeAsync(app.CreateClient(), "order-1", 19.98m);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payment = await response.Content.ReadFromJsonAsync<Payment>();
        Assert.Equal(("order-1", "customer-1", 19.98m, "Approved", (string?)null),
            (payment!.OrderId, payment.CustomerId, payment.Amount, payment.Status, payment.Reason));
    }

    [Fact]
    public async Task Charge_WhenOverLimit_Returns200DeclinedWithTheReason_SoTheCircuitBreakerNeverCountsIt()
    {
        await using var app = new PaymentsApp(maxAmount: 100m);

        var response = await ChargeAsync(app.CreateClient(), "order-1", 150m);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payment = await response.Content.ReadFromJsonAsync<Payment>();
        Assert.Equal(("order-1", "Declined"), (payment!.OrderId, payment.Status));
        Assert.Contains("exceeds the limit of 100", payment.Reason);
    }

    [Fact]
    public async Task Charge_WhenRepeated_ReturnsTheRecordedPaymentWithoutDelayingAgain()
    {
        await using var app = new PaymentsApp();
        var http = app.CreateClient();
        var first = await (await ChargeAsync(http, "order-1", 10m)).Content.ReadFromJsonAsync<Payment>();

        var repeat = await ChargeAsync(http, "order-1", 10m);

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(first, await repeat.Content.ReadFromJsonAsync<Payment>());
        Assert.Equal([TimeSpan.FromSeconds(1)], app.Delays.Requested);
    }

    [Fact]
    public async Task Charge_WhenDeclinedAndRepeated_AnswersTheDeclineAgainWithoutDelaying()
    {
        await using var app = new PaymentsApp(maxAmount: 100m);
        var http = app.CreateClient();
        await ChargeAsync(http, "order-1", 500m);

        var repeat = await ChargeAsync(http, "order-1", 500m);

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal("Declined", (await repeat.Content.ReadFromJsonAsync<Payment>())!.Status);
        Assert.Single(app.Delays.Requested);
    }

    [Fact]
    public async Task Charge_WhenRepeatedWithAnotherAmount_AnswersTheRecordedOutcome()
    {
        await using var app = new PaymentsApp(maxAmount: 100m);
        var http = app.CreateClient();
        await ChargeAsync(http, "order-1", 50m);

        var repeat = await ChargeAsync(http, "order-1", 5000m);

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(50m, (await repeat.Content.ReadFromJsonAsync<Payment>())!.Amount);
    }

    [Fact]
    public async Task Charge_WhenCalledConcurrentlyForOneOrder_RecordsOnceAndAllAnswerIt()
    {
        await using var app = new PaymentsApp();
        var http = app.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ChargeAsync(http, "order-1", 10m)));

        var payments = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<Payment>()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(payments.Distinct());
        Assert.Equal(payments[0], app.Dapr.PeekState<Payment>(DaprNames.StateStore, "payment:order-1"));
    }

    [Fact]
    public async Task Charge_WaitsForTheProcessingDelayBeforeAnswering()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var app = new PaymentsApp(time);
        var http = app.CreateClient();

        var pending = ChargeAsync(http, "order-1", 10m);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.False(pending.IsCompleted, "the payment answered before its processing delay elapsed");

        time.Advance(TimeSpan.FromSeconds(1));
        var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(time.GetUtcNow(), (await response.Content.ReadFromJsonAsync<Payment>())!.ProcessedAt);
    }

    [Fact]
    public async Task GetPayment_WhenMissing_Returns404Problem()
    {
        await using var app = new PaymentsApp();

        var response = await app.CreateClient().GetAsync("/payments/order-unknown");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Payment not found", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task GetPayment_AfterCharge_Returns200WithThePayment()
    {
        await using var app = new PaymentsApp();
        var http = app.CreateClient();
        var charged = await (await ChargeAsync(http, "order-1", 10m)).Content.ReadFromJsonAsync<Payment>();

        var response = await http.GetAsync("/payments/order-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(charged, await response.Content.ReadFromJsonAsync<Payment>());
    }

    [Theory]
    [InlineData("", "customer-1", 1, "orderId")]
    [InlineData("order-1", "", 1, "customerId")]
    [InlineData("order-1", "customer-1", -1, "amount")]
    public async Task Charge_WhenRequestInvalid_Returns400NamingTheFieldAndChargesNothing(
        string orderId, string customerId, decimal amount, string field)
    {
        await using var app = new PaymentsApp();

        var response = await ChargeAsync(app.CreateClient(), orderId, amount, customerId);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Empty(app.Delays.Requested);
    }
}

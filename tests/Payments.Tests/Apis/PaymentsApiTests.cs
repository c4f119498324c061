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
    public async Task Charge_WhenRepeatedWithAnotherAmount_Returns409ProblemAndKeepsTheFirstOutcome()
    {
        await using var app = new PaymentsApp(maxAmount: 100m);
        var http = app.CreateClient();
        await ChargeAsync(http, "order-1", 50m);

        var repeat = await ChargeAsync(http, "order-1", 5000m);

        Assert.Equal(HttpStatusCode.Conflict, repeat.StatusCode);
        Assert.Equal("application/problem+json", repeat.Content.Headers.ContentType?.MediaType);
        Assert.Contains("charged 50", (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(50m, app.Dapr.PeekState<Payment>(DaprNames.StateStore, "payment:order-1")!.Amount);
    }

    [Fact]
    public async Task Charge_WhenAnotherChargeForTheOrderIsInFlightWithAnotherAmount_Returns409()
    {
        await using var app = new PaymentsApp();
        app.Dapr.SetState(DaprNames.StateStore, "payment-claim:order-1",
            new { orderId = "order-1", customerId = "customer-1", amount = 10m, claimedAt = DateTimeOffset.UtcNow });

        var response = await ChargeAsync(app.CreateClient(), "order-1", 20m);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Empty(app.Delays.Requested);
    }

    [Fact]
    public async Task Charge_WhenAClaimWasLeftByAChargeThatDied_TakesItOverAndProcessesOnce()
    {
        await using var app = new PaymentsApp();
        app.Dapr.SetState(DaprNames.StateStore, "payment-claim:order-1",
            new { orderId = "order-1", customerId = "customer-1", amount = 10m, claimedAt = DateTimeOffset.UtcNow.AddHours(-1) });

        var response = await ChargeAsync(app.CreateClient(), "order-1", 10m);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Approved", (await response.Content.ReadFromJsonAsync<Payment>())!.Status);
        Assert.Equal([TimeSpan.FromSeconds(1)], app.Delays.Requested);
    }

    [Fact]
    public async Task Charge_WhenCalledConcurrentlyForOneOrder_ProcessesOnceRecordsOnceAndAllAnswerIt()
    {
        await using var app = new PaymentsApp();
        var http = app.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ChargeAsync(http, "order-1", 10m)));

        var payments = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<Payment>()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(payments.Distinct());
        Assert.Equal(payments[0], app.Dapr.PeekState<Payment>(DaprNames.StateStore, "payment:order-1"));
        Assert.Single(app.Delays.Requested, d => d == TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Charge_WaitsForTheProcessingDelayBeforeAnswering()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await using var app = new PaymentsApp(time);
        var http = app.CreateClient();

        var start = time.GetUtcNow();

        var pending = ChargeAsync(http, "order-1", 10m);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        Assert.False(pending.IsCompleted, "the payment answered before its processing delay elapsed");

        // The handler may still be reading state when the clock first moves (a cold start on a busy machine), so the
        // clock moves in small steps until the charge answers; the answer's time then tells how long it waited.
        while (!pending.IsCompleted && time.GetUtcNow() - start < TimeSpan.FromMinutes(1))
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }

        var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var processedAt = (await response.Content.ReadFromJsonAsync<Payment>())!.ProcessedAt;
        Assert.True(processedAt - start >= TimeSpan.FromSeconds(1), $"processed {processedAt - start} after the charge arrived");
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

    /// <summary>Malformed requests: each a 4xx problem naming the field (404/413: saying what), charging nothing.</summary>
    public static TheoryData<string, string, string?, int, string> BadRequests => new()
    {
        // method, path, body, status, field in errors (400) or text in detail (404/413)
        { "POST", "/payments", """{"orderId":"","customerId":"c1","amount":1}""", 400, "orderId" },
        { "POST", "/payments", """{"customerId":"c1","amount":1}""", 400, "orderId" },
        { "POST", "/payments", """{"orderId":"o-1","customerId":"","amount":1}""", 400, "customerId" },
        { "POST", "/payments", """{"orderId":"o-1\n","customerId":"c1","amount":1}""", 400, "orderId" },
        { "POST", "/payments", """{"orderId":"o-1","customerId":"c\u00071","amount":1}""", 400, "customerId" },
        { "POST", "/payments", """{"orderId":"o||1","customerId":"c1","amount":1}""", 400, "orderId" },
        { "POST", "/payments", """{"orderId":"o-1","customerId":"c1","amount":-1}""", 400, "amount" },
        { "POST", "/payments", """{"orderId":"o-1","customerId":"c1","amount":1000000000001}""", 400, "amount" },
        { "POST", "/payments", """{"orderId":"o-1","customerId":"c1","amount":1e30}""", 400, "amount" },
        { "POST", "/payments", """{"orderId":"o-1","customerId":"c1","amount":"ten"}""", 400, "amount" },
        { "POST", "/payments", """{"orderId":7,"customerId":"c1","amount":1}""", 400, "orderId" },
        { "POST", "/payments", """{"orderId":"o-1","customerId":"c1","amount":1""", 400, "amount" }, // the JSON breaks off in amount
        { "POST", "/payments", "null", 400, "body" },
        { "POST", "/payments", "", 400, "body" },
        { "POST", "/payments", null, 400, "body" },
        { "POST", "/payments", $$"""{"orderId":"o-1","customerId":"{{new string('c', 70_000)}}","amount":1}""", 413, "65536 bytes" },
        { "GET", "/payments/o%0A1", null, 400, "orderId" },
        { "GET", "/payments/no-such-order", null, 404, "no-such-order" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequest_Answers4xxProblemDetailsNamingTheField_AndChargesNothing(
        string method, string path, string? body, int status, string named)
    {
        await using var app = new PaymentsApp();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (status == 400)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(named, out _), $"errors: {problem.GetProperty("errors")}, not {named}");
        }
        else
        {
            Assert.Contains(named, problem.GetProperty("detail").GetString());
        }

        Assert.Empty(app.Delays.Requested);
        Assert.False(app.Dapr.ContainsState(DaprNames.StateStore, "payment:o-1"));
        Assert.False(app.Dapr.ContainsState(DaprNames.StateStore, "payment-claim:o-1"));
    }
}

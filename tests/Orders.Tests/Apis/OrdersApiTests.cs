using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Orders.Infrastructure;
using Orders.Models;

namespace Orders.Tests.Apis;

public sealed class OrdersApiTests(OrdersApiFactory factory) : IClassFixture<OrdersApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    private static string NewId() => $"order-{Guid.NewGuid():N}";

    private static object Body(string? orderId, string customerId = "customer-1", params object[] lines) =>
        new { orderId, customerId, lines = lines.Length > 0 ? lines : [new { itemId = "keyboard", quantity = 2 }] };

    private int StartedCount(string orderId) => factory.Workflows.Started.Count(s => s.OrderId == orderId);

    private void Seed(string orderId, OrderStatus status) =>
        factory.Dapr.SetState(DaprNames.StateStore, OrderStore.Key(orderId),
            new Order(orderId, "customer-1", [new OrderLine("keyboard", 2)], status, 80m, status == OrderStatus.Cancelled ? "Card expired." : null));

    [Fact]
    public async Task Post_WithValidOrder_Returns202WithLocationAndStartsTheWorkflow()
    {
        var id = NewId();

        var response = await _client.PostAsJsonAsync("/orders", Body(id));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/orders/{id}", response.Headers.Location?.OriginalString);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, body.GetProperty("orderId").GetString());
        Assert.Equal("Pending", body.GetProperty("status").GetString());
        var started = Assert.Single(factory.Workflows.Started, s => s.OrderId == id);
        Assert.Equal([new OrderLine("keyboard", 2)], started.Lines);
        Assert.Equal(500m, started.ApprovalThreshold);
        Assert.Equal(TimeSpan.FromMinutes(1), started.ApprovalTimeout);
        Assert.Equal(OrderStatus.Pending, factory.Dapr.PeekState<Order>(DaprNames.StateStore, OrderStore.Key(id))?.Status);
    }

    [Fact]
    public async Task Post_CountsAStartedOrderOnce_NotItsRepeat()
    {
        using var counters = new TestDoubles.CounterRecorder(
            factory.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var id = NewId();

        await _client.PostAsJsonAsync("/orders", Body(id));
        await _client.PostAsJsonAsync("/orders", Body(id));

        // Other tests of this class share the app and may start orders meanwhile: at least ours, and not its repeat.
        Assert.InRange(counters.Total("orders.started"), 1, 1 + factory.Workflows.Started.Count(s => s.OrderId != id));
    }

    [Fact]
    public async Task Post_WithoutOrderId_GeneratesOneAndPointsLocationAtIt()
    {
        var response = await _client.PostAsJsonAsync("/orders", Body(orderId: null));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal($"/orders/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(1, StartedCount(id!));
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"customerId":"","lines":[{"itemId":"a","quantity":1}]}""", "customerId" },
        { """{"customerId":"c1","lines":[]}""", "lines" },
        { """{"customerId":"c1"}""", "lines" },
        { """{"customerId":"c1","lines":[{"itemId":"a","quantity":0}]}""", "lines[0].quantity" },
        { """{"customerId":"c1","lines":[{"itemId":"../etc","quantity":1}]}""", "lines[0].itemId" },
        { """{"orderId":"has space","customerId":"c1","lines":[{"itemId":"a","quantity":1}]}""", "orderId" },
        { """{"customerId":"c1","lines":[{"itemId":"a","quantity":1},{"itemId":"a","quantity":2}]}""", "lines" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Post_WithInvalidBody_Returns400NamingTheField(string json, string field)
    {
        var response = await _client.PostAsync("/orders", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.Contains(field, problem!.Errors.Keys);
    }

    [Fact]
    public async Task Post_WithMoreThan50Lines_Returns400()
    {
        var lines = Enumerable.Range(0, 51).Select(i => (object)new { itemId = $"item-{i}", quantity = 1 }).ToArray();

        var response = await _client.PostAsJsonAsync("/orders", Body(NewId(), "customer-1", lines));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_RepeatedOrderId_StartsOneWorkflowAndAnswersTheStoredOrder()
    {
        var id = NewId();
        await _client.PostAsJsonAsync("/orders", Body(id));
        Seed(id, OrderStatus.AwaitingApproval);

        var repeat = await _client.PostAsJsonAsync("/orders", Body(id));

        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal("AwaitingApproval", (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(1, StartedCount(id));
    }

    [Fact]
    public async Task Post_ConcurrentRepeatsOfOneOrderId_StartOneWorkflow()
    {
        var id = NewId();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _client.PostAsJsonAsync("/orders", Body(id))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(1, StartedCount(id));
    }

    [Fact]
    public async Task Post_RepeatedOrderIdWithDifferentLines_Returns409AndStartsNothingMore()
    {
        var id = NewId();
        await _client.PostAsJsonAsync("/orders", Body(id));

        var response = await _client.PostAsJsonAsync("/orders", Body(id, "customer-1", new { itemId = "mouse", quantity = 1 }));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains(id, problem!.Detail);
        Assert.Equal(1, StartedCount(id));
    }

    [Fact]
    public async Task Post_WhenTheWorkflowCannotStart_Returns503AndLeavesNoRecordBehind()
    {
        var id = NewId();
        factory.Workflows.FailStartFor[id] = true;

        var response = await _client.PostAsJsonAsync("/orders", Body(id));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(factory.Dapr.ContainsState(DaprNames.StateStore, OrderStore.Key(id)));
    }

    [Fact]
    public async Task Get_UnknownOrder_Returns404ProblemDetails()
    {
        var response = await _client.GetAsync($"/orders/{NewId()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_KnownOrder_Returns200WithStatusLinesTotalAndReason()
    {
        var id = NewId();
        Seed(id, OrderStatus.Cancelled);

        var body = await _client.GetFromJsonAsync<JsonElement>($"/orders/{id}");

        Assert.Equal(id, body.GetProperty("orderId").GetString());
        Assert.Equal("Cancelled", body.GetProperty("status").GetString());
        Assert.Equal(80m, body.GetProperty("total").GetDecimal());
        Assert.Equal("Card expired.", body.GetProperty("reason").GetString());
        Assert.Equal("keyboard", body.GetProperty("lines")[0].GetProperty("itemId").GetString());
    }

    [Fact]
    public async Task Get_WhenTheWorkflowFailedBeforeSettling_ReportsFailed()
    {
        var id = NewId();
        Seed(id, OrderStatus.Pending);
        factory.Workflows.Failures[id] = "Task 'ChargePaymentActivity' failed.";

        var body = await _client.GetFromJsonAsync<JsonElement>($"/orders/{id}");

        Assert.Equal("Failed", body.GetProperty("status").GetString());
        Assert.Equal("Task 'ChargePaymentActivity' failed.", body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Approval_UnknownOrder_Returns404()
    {
        var response = await _client.PostAsJsonAsync($"/orders/{NewId()}/approval", new { approved = true });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Approval_WhenNotAwaitingApproval_Returns409AndRaisesNothing()
    {
        var id = NewId();
        Seed(id, OrderStatus.Pending);

        var response = await _client.PostAsJsonAsync($"/orders/{id}/approval", new { approved = true });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.DoesNotContain(factory.Workflows.Approvals, a => a.OrderId == id);
    }

    [Fact]
    public async Task Approval_WhenAwaitingApproval_Returns202AndRaisesTheDecision()
    {
        var id = NewId();
        Seed(id, OrderStatus.AwaitingApproval);

        var response = await _client.PostAsJsonAsync($"/orders/{id}/approval", new { approved = false });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal((id, new ApprovalDecision(false)), Assert.Single(factory.Workflows.Approvals, a => a.OrderId == id));
    }

    [Fact]
    public async Task Approval_WithoutADecision_Returns400()
    {
        var id = NewId();
        Seed(id, OrderStatus.AwaitingApproval);

        var response = await _client.PostAsJsonAsync($"/orders/{id}/approval", new { });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(factory.Workflows.Approvals, a => a.OrderId == id);
    }
}

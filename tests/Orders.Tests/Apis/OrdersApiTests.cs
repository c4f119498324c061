using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Orders.Infrastructure;
using Orders.Models;
using Orders.Workflows;

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

    /// <summary>
    /// Malformed requests, each a 4xx problem naming the field (or, for 404 and 413, saying what is unknown or too
    /// large). Order ids in bodies are <c>bad-N</c>, so each row can check that nothing was started or stored for it.
    /// </summary>
    public static TheoryData<string, string, string?, int, string> BadRequests => new()
    {
        // method, path, body, status, field in errors (400) or text in detail (404/413)
        { "POST", "/orders", """{"orderId":"bad-1","customerId":"","lines":[{"itemId":"a","quantity":1}]}""", 400, "customerId" },
        { "POST", "/orders", """{"orderId":"bad-2","customerId":"c1","lines":[]}""", 400, "lines" },
        { "POST", "/orders", """{"orderId":"bad-3","customerId":"c1"}""", 400, "lines" },
        { "POST", "/orders", """{"orderId":"bad-4","customerId":"c1","lines":[{"itemId":"a","quantity":0}]}""", 400, "lines[0].quantity" },
        { "POST", "/orders", """{"orderId":"bad-5","customerId":"c1","lines":[{"itemId":"a","quantity":1001}]}""", 400, "lines[0].quantity" },
        { "POST", "/orders", """{"orderId":"bad-6","customerId":"c1","lines":[{"itemId":"a","quantity":99999999999}]}""", 400, "lines[0].quantity" },
        { "POST", "/orders", """{"orderId":"bad-7","customerId":"c1","lines":[{"itemId":"a","quantity":"two"}]}""", 400, "lines[0].quantity" },
        { "POST", "/orders", """{"orderId":"bad-8","customerId":"c1","lines":[{"itemId":"../etc","quantity":1}]}""", 400, "lines[0].itemId" },
        { "POST", "/orders", """{"orderId":"bad-9","customerId":"c1","lines":[{"quantity":1}]}""", 400, "lines[0].itemId" },
        { "POST", "/orders", """{"orderId":"bad-10","customerId":"c1","lines":[null]}""", 400, "lines[0]" },
        { "POST", "/orders", """{"orderId":"bad-11","customerId":"c1","lines":[{"itemId":"a","quantity":1},{"itemId":"a","quantity":2}]}""", 400, "lines" },
        { "POST", "/orders", """{"orderId":"bad-12\n","customerId":"c1","lines":[{"itemId":"a","quantity":1}]}""", 400, "orderId" },
        { "POST", "/orders", """{"orderId":"has space","customerId":"c1","lines":[{"itemId":"a","quantity":1}]}""", 400, "orderId" },
        { "POST", "/orders", """{"orderId":"bad-13","customerId":"c\u00001","lines":[{"itemId":"a","quantity":1}]}""", 400, "customerId" },
        { "POST", "/orders", """{"orderId":"bad-14","customerId":"c1","lines":[{"itemId":"a\t","quantity":1}]}""", 400, "lines[0].itemId" },
        { "POST", "/orders", """{"orderId":42,"customerId":"c1","lines":[{"itemId":"a","quantity":1}]}""", 400, "orderId" },
        { "POST", "/orders", """{"orderId":"bad-15","customerId":"c1","lines":{"itemId":"a"}}""", 400, "lines" },
        { "POST", "/orders", """{"orderId":"bad-16","customerId":"c1","lines":[{"itemId":"a","quantity":1}]""", 400, "body" },
        { "POST", "/orders", """[1,2]""", 400, "body" },
        { "POST", "/orders", "null", 400, "body" },
        { "POST", "/orders", "", 400, "body" },
        { "POST", "/orders", null, 400, "body" },
        { "POST", "/orders", $$"""{"orderId":"bad-17","customerId":"c1","lines":[{"itemId":"{{new string('a', 70_000)}}","quantity":1}]}""", 413, "65536 bytes" },
        { "GET", "/orders/bad%0A", null, 400, "id" },
        { "GET", "/orders/no-such-order", null, 404, "no-such-order" },
        { "POST", "/orders/no-such-order/approval", """{"approved":true}""", 404, "no-such-order" },
        { "POST", "/orders/bad%1B/approval", """{"approved":true}""", 400, "id" },
        { "POST", "/orders/no-such-order/approval", """{"approved":"yes"}""", 400, "approved" },
        { "POST", "/orders/no-such-order/approval", "", 400, "body" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequest_Answers4xxProblemDetailsNamingTheField_AndStartsOrStoresNothing(
        string method, string path, string? body, int status, string named)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await _client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (status == 400)
        {
            var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
            Assert.True(problem!.Errors.ContainsKey(named), $"errors name {string.Join(", ", problem.Errors.Keys)}, not {named}");
        }
        else
        {
            Assert.Contains(named, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        }

        Assert.DoesNotContain(factory.Workflows.Started, s => s.OrderId.StartsWith("bad-", StringComparison.Ordinal));
        Assert.All(Enumerable.Range(1, 17), n => Assert.False(factory.Dapr.ContainsState(DaprNames.StateStore, OrderStore.Key($"bad-{n}"))));
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
    public async Task Post_WhenTheWorkflowRuntimeIsUnavailable_Returns503ProblemAndLeavesNoRecordBehind()
    {
        var id = NewId();
        factory.Workflows.FailStartFor[id] = true;

        var response = await _client.PostAsJsonAsync("/orders", Body(id));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(factory.Dapr.ContainsState(DaprNames.StateStore, OrderStore.Key(id)));
    }

    [Fact]
    public async Task Post_WhenTheClientHangsUpAfterTheStartWasAccepted_TheOrderIsRecordedNotDeleted()
    {
        var id = NewId();
        using var hangUp = new CancellationTokenSource();
        factory.Workflows.AfterAccepted[id] = async token =>
        {
            // The runtime took the start; the client goes away before the answer arrives. A start that runs under the
            // client's token fails here, as the SDK's gRPC call would.
            await hangUp.CancelAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(300), CancellationToken.None);
            token.ThrowIfCancellationRequested();
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.PostAsJsonAsync("/orders", Body(id), hangUp.Token));

        var recorded = await PollAsync(() => factory.Dapr.PeekState<Order>(DaprNames.StateStore, OrderStore.Key(id)));
        Assert.Equal(OrderStatus.Pending, recorded?.Status);
        Assert.Equal(1, StartedCount(id));
    }

    [Fact]
    public async Task Get_WhenTheWorkflowStartedButTheRecordIsNotWrittenYet_ReadsPendingFromTheWorkflow()
    {
        var id = NewId();
        factory.Workflows.AddInstance(new OrderWorkflowInput(id, "customer-1", [new OrderLine("keyboard", 2)], 500m, TimeSpan.FromMinutes(1)));

        var body = await _client.GetFromJsonAsync<JsonElement>($"/orders/{id}");

        Assert.Equal("Pending", body.GetProperty("status").GetString());
        Assert.Equal("keyboard", body.GetProperty("lines")[0].GetProperty("itemId").GetString());
    }

    [Fact]
    public async Task Post_RepeatedAfterACrashBetweenStartAndRecord_AnswersTheOrderWithoutASecondStart()
    {
        var id = NewId();
        factory.Workflows.AddInstance(new OrderWorkflowInput(id, "customer-1", [new OrderLine("keyboard", 2)], 500m, TimeSpan.FromMinutes(1)));

        var repeat = await _client.PostAsJsonAsync("/orders", Body(id));

        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal(0, StartedCount(id));
        Assert.Equal(OrderStatus.Pending, factory.Dapr.PeekState<Order>(DaprNames.StateStore, OrderStore.Key(id))?.Status);
    }

    [Fact]
    public async Task Post_WhenARunningWorkflowHasOtherLinesAndNoRecord_Returns409()
    {
        var id = NewId();
        factory.Workflows.AddInstance(new OrderWorkflowInput(id, "customer-1", [new OrderLine("mouse", 1)], 500m, TimeSpan.FromMinutes(1)));

        var response = await _client.PostAsJsonAsync("/orders", Body(id));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.False(factory.Dapr.ContainsState(DaprNames.StateStore, OrderStore.Key(id)));
    }

    private static async Task<T?> PollAsync<T>(Func<T?> read)
    {
        for (var i = 0; i < 100 && read() is null; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        return read();
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

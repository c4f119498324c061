using EndToEnd.Tests.WholeSystem;

namespace EndToEnd.Tests.Telemetry;

/// <summary>
/// One order, one trace: orders → catalog (reserve) → payments → publish → notifications, across the four apps and their
/// sidecars, as an OTLP collector receives it from the system started by the runner.
/// </summary>
[Collection(EmbeddedSystemCollection.Name)]
public sealed class OrderTraceSystemTests(EmbeddedSystemFixture fixture)
{
    private const int Server = 2;
    private const int Client = 3;
    private const int Producer = 4;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Order_IsOneTrace_AcrossTheFourServicesAndTheirSidecars_TheSubscriberAChildOfThePublish()
    {
        var system = await fixture.RunningAsync();
        var (itemId, orderId) = ($"lamp-{Guid.NewGuid():N}", $"order-{Guid.NewGuid():N}");
        await system.PutItemAsync(itemId, "Lamp", 20m, 5);
        await system.CreateOrderAsync(orderId, "cust-trace", itemId, 2);
        await system.WaitForOrderAsync(orderId, "Completed", Timeout);
        await system.WaitForOrderNotificationAsync(orderId, "order.completed", Timeout);

        IReadOnlyList<ReceivedSpan> spans = [];
        string Describe() => string.Join('\n', spans.Select(s => $"{s.Service}{(s.FromSidecar ? "/sidecar" : "")} {s.Kind} {s.Name} {s.SpanId}<-{s.ParentSpanId}"));
        try
        {
            spans = await Poll.UntilAsync("the order's trace to reach the notifications app", Timeout,
                () => Task.FromResult(TraceOf(itemId)), TraceIsComplete);
        }
        catch (TimeoutException e)
        {
            spans = TraceOf(itemId);
            Assert.Fail($"{e.Message}\n{Describe()}");
        }

        foreach (var app in new[] { "orders", "catalog", "payments", "notifications" })
        {
            Assert.True(spans.Any(s => s.Service == app && !s.FromSidecar), $"no span of app {app}:\n{Describe()}");
            Assert.True(spans.Any(s => s.Service == app && s.FromSidecar), $"no span of {app}'s sidecar:\n{Describe()}");
        }

        var reserve = $"CallLocal/catalog/items/{itemId}/reservations";
        Assert.True(spans.Any(s => s.Service == "orders" && s.FromSidecar && s.Kind == Client && s.Name == reserve), Describe());
        Assert.True(spans.Any(s => s.Service == "catalog" && s.FromSidecar && s.Kind == Server && s.Name == reserve), Describe());
        Assert.True(spans.Any(s => s.Service == "payments" && s.FromSidecar && s.Kind == Server && s.Name == "CallLocal/payments/payments"), Describe());
        // The workflow: its creation, one span for the whole run, and every activity a child of the run.
        var create = spans.Single(s => s.Service == "orders" && s.FromSidecar && s.Name == "create_orchestration||OrderWorkflow");
        var run = spans.Single(s => s.Service == "orders" && s.FromSidecar && s.Name == "orchestration||OrderWorkflow");
        Assert.Equal((Server, create.SpanId), (run.Kind, run.ParentSpanId));
        var activities = spans.Where(s => s.Service == "orders" && s.FromSidecar && s.Name.StartsWith("activity||", StringComparison.Ordinal)).ToList();
        Assert.Contains(activities, a => a.Name == "activity||ReserveItemActivity");
        Assert.Contains(activities, a => a.Name == "activity||ChargePaymentActivity");
        Assert.All(activities, a => Assert.Equal(run.SpanId, a.ParentSpanId));

        var publish = spans.Single(s => s.Service == "orders" && s.FromSidecar && s.Kind == Producer
            && s.Attributes.GetValueOrDefault("messaging.destination.name") == "orders");
        var delivery = spans.Single(s => s.Service == "notifications" && s.FromSidecar && s.Name == "pubsub/orders");
        Assert.Equal(publish.SpanId, delivery.ParentSpanId);
        Assert.True(spans.Any(s => s.Service == "notifications" && !s.FromSidecar && s.ParentSpanId == delivery.SpanId), Describe());
    }

    [Fact]
    public async Task EveryAppAndSidecar_SendsMetricsAndLogs()
    {
        await fixture.RunningAsync();

        var missing = await Poll.UntilAsync("metrics and logs from all four services", Timeout,
            () => Task.FromResult(Missing()), m => m.Length == 0);

        Assert.Equal("", missing);
    }

    private string Missing() => string.Join(", ", new[] { "orders", "catalog", "payments", "notifications" }
        .Where(app => !fixture.Telemetry.MetricsFrom.ContainsKey(app) || !fixture.Telemetry.LogsFrom.ContainsKey(app)));

    /// <summary>Every span of the trace that holds the reservation of <paramref name="itemId"/> (an id no other order uses).</summary>
    private IReadOnlyList<ReceivedSpan> TraceOf(string itemId)
    {
        var all = fixture.Telemetry.Spans.ToList();
        var traceId = all.FirstOrDefault(s => s.Name == $"CallLocal/catalog/items/{itemId}/reservations")?.TraceId;
        return traceId is null ? [] : [.. all.Where(s => s.TraceId == traceId)];
    }

    /// <summary>Each process exports on its own schedule: wait for the last pieces of every one of them.</summary>
    private static bool TraceIsComplete(IReadOnlyList<ReceivedSpan> spans) =>
        spans.Any(s => s.Service == "notifications" && s.FromSidecar && s.Name == "pubsub/orders")
        && spans.Any(s => s.Service == "notifications" && !s.FromSidecar && s.Kind == Server)
        && spans.Any(s => s.Service == "orders" && s.FromSidecar && s.Kind == Producer)
        && spans.Any(s => s.Service == "orders" && s.FromSidecar && s.Name == "activity||PublishOrderCompletedActivity")
        && spans.Any(s => s.Service == "orders" && s.FromSidecar && s.Name == "orchestration||OrderWorkflow")
        && spans.Any(s => s.Service == "payments" && !s.FromSidecar);
}

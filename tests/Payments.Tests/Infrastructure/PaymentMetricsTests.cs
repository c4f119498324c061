using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TestDoubles;

namespace Payments.Tests.Infrastructure;

/// <summary>The payments service counts decisions, not repeats of a recorded outcome.</summary>
public sealed class PaymentMetricsTests
{
    [Fact]
    public async Task Charge_CountsApprovalsAndDeclinesOncePerOrder()
    {
        await using var app = new PaymentsApp(maxAmount: 100m);
        var http = app.CreateClient();
        using var counters = new CounterRecorder(app.Services.GetRequiredService<IMeterFactory>());

        await http.PostAsJsonAsync("/payments", new { orderId = "order-1", customerId = "c-1", amount = 10m });
        await http.PostAsJsonAsync("/payments", new { orderId = "order-1", customerId = "c-1", amount = 10m });
        await http.PostAsJsonAsync("/payments", new { orderId = "order-2", customerId = "c-1", amount = 150m });

        Assert.Equal(1, counters.Total("payments.approved"));
        Assert.Equal(1, counters.Total("payments.declined"));
    }
}

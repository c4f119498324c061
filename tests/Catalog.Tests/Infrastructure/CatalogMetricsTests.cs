using System.Diagnostics.Metrics;
using Catalog.Tests.Apis;
using Microsoft.Extensions.DependencyInjection;
using TestDoubles;

namespace Catalog.Tests.Infrastructure;

/// <summary>The catalog's domain metrics move with what the API does.</summary>
public sealed class CatalogMetricsTests
{
    [Fact]
    public async Task Reserve_CountsReservationsOnceAndShortStockAsConflicts()
    {
        await using var app = new CatalogApp();
        var http = app.CreateClient();
        using var counters = new CounterRecorder(app.Services.GetRequiredService<IMeterFactory>());
        await http.PutItemAsync("widget-1", stock: 3);

        await http.ReserveAsync("widget-1", "order-1", 2);
        await http.ReserveAsync("widget-1", "order-1", 2);
        await http.ReserveAsync("widget-1", "order-2", 2);

        Assert.Equal(1, counters.Total("catalog.reservations"));
        Assert.Equal(1, counters.Total("catalog.reservation_conflicts"));
    }
}

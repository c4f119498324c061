using System.Diagnostics.Metrics;

namespace Catalog.Infrastructure;

/// <summary>The catalog's domain metrics (meter <c>DaprShop.Catalog</c>).</summary>
public sealed class CatalogMetrics
{
    public const string MeterName = "DaprShop.Catalog";

    private readonly Counter<long> _reservations;
    private readonly Counter<long> _conflicts;

    public CatalogMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _reservations = meter.CreateCounter<long>("catalog.reservations", "{reservation}", "Stock reservations made (repeats not counted).");
        _conflicts = meter.CreateCounter<long>("catalog.reservation_conflicts", "{reservation}",
            "Reservations refused with 409 because the stock was short.");
    }

    public void Reserved() => _reservations.Add(1);

    public void Conflict(string itemId) => _conflicts.Add(1, new KeyValuePair<string, object?>("item.id", itemId));
}

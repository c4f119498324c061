using Catalog.Domain;
using Contracts;
using Dapr.Client;

namespace Catalog.Infrastructure;

/// <summary>Publishes the catalog's events; the CloudEvent type lets subscribers route without reading the payload.</summary>
internal sealed class ItemEvents(DaprClient dapr)
{
    public Task PublishUpsertedAsync(CatalogItem item, CancellationToken cancellationToken) =>
        dapr.PublishEventAsync(
            DaprNames.PubSub,
            DaprNames.Topics.Items,
            new ItemUpserted(item.Id, item.Name, item.Price, item.Stock),
            new Dictionary<string, string> { ["cloudevent.type"] = DaprNames.EventTypes.ItemUpserted },
            cancellationToken);
}

namespace Orders.Workflows.Activities;

/// <summary>
/// Publish metadata for order events: the CloudEvent <c>type</c>, which subscribers route on, and a CloudEvent <c>id</c>
/// that is the same for every publish of one event of one order (<c>{orderId}:{type}</c>), so a publish repeated by a
/// retried activity carries the id of the first and subscribers' dedupe by id absorbs it.
/// </summary>
public static class OrderEventMetadata
{
    public const string CloudEventType = "cloudevent.type";
    public const string CloudEventId = "cloudevent.id";

    public static Dictionary<string, string> For(string orderId, string eventType) => new()
    {
        [CloudEventType] = eventType,
        [CloudEventId] = $"{orderId}:{eventType}",
    };
}

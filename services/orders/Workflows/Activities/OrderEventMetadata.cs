namespace Orders.Workflows.Activities;

/// <summary>Publish metadata that sets the CloudEvent <c>type</c>, which subscribers route on.</summary>
public static class OrderEventMetadata
{
    public const string CloudEventType = "cloudevent.type";

    public static Dictionary<string, string> For(string eventType) => new() { [CloudEventType] = eventType };
}

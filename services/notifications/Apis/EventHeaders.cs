namespace Notifications.Apis;

/// <summary>Header names the CloudEvents middleware gives forwarded CloudEvent attributes (<c>Cloudevent.{name}</c>).</summary>
public static class EventHeaders
{
    public const string IdProperty = "id";
    public const string TypeProperty = "type";
    public const string Id = "Cloudevent.id";
    public const string Type = "Cloudevent.type";
}

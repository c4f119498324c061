namespace Notifications.Models;

/// <summary>The app's answer to a delivery, as Dapr reads it: SUCCESS (done), RETRY (deliver again) or DROP (dead-letter it).</summary>
public sealed record TopicResponse(string Status)
{
    public static readonly TopicResponse Success = new("SUCCESS");
    public static readonly TopicResponse Drop = new("DROP");
}

namespace Notifications.Models;

/// <summary>The CloudEvent attributes a handler needs, forwarded as <c>Cloudevent.*</c> headers by the CloudEvents middleware.</summary>
public sealed record DeliveredEvent(string Id, string Type, string Topic);

namespace Notifications.Models;

/// <summary>
/// One recorded notification, stored under <c>notification:{topic}:{eventId}</c>. <paramref name="EventId"/> is the
/// CloudEvent id, which makes a redelivery land on the same key.
/// </summary>
public sealed record Notification(
    string Id, string EventId, string Topic, string Type, string? OrderId, string Message, DateTimeOffset ReceivedAt);

namespace Notifications.Models;

/// <summary>One entry of an index of notifications: enough to order and cap it without reading the notifications.</summary>
public sealed record NotificationIndexEntry(string Id, DateTimeOffset ReceivedAt);

using Notifications.Infrastructure;

namespace Notifications.Apis;

/// <summary>The dependencies of the event handlers, bound with <c>[AsParameters]</c>.</summary>
public sealed record EventServices(NotificationStore Store, TimeProvider Time, ILogger<EventServices> Logger);

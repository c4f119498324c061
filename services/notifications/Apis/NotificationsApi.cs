using Microsoft.AspNetCore.Http.HttpResults;
using Notifications.Infrastructure;
using Notifications.Models;
using ServiceDefaults;

namespace Notifications.Apis;

/// <summary>Reading what was recorded.</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/notifications").WithTags("Notifications")
            .MapGet("/", ListNotifications)
            .WithValidation<ListNotificationsQuery>()
            .WithName("ListNotifications")
            .WithSummary("Recorded notifications, most recent first: all of them, or one order's with ?orderId=.");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<Notification>>> ListNotifications(
        [AsParameters] ListNotificationsQuery query, NotificationStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(query.OrderId, query.PageSize, cancellationToken));
}

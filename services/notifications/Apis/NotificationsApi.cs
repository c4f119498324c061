using Microsoft.AspNetCore.Http.HttpResults;
using Notifications.Infrastructure;
using Notifications.Models;

namespace Notifications.Apis;

/// <summary>Reading what was recorded.</summary>
public static class NotificationsApi
{
    public const int DefaultLimit = 50;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/notifications").WithTags("Notifications")
            .MapGet("/", ListNotifications)
            .WithName("ListNotifications")
            .WithSummary("Recorded notifications, most recent first: all of them, or one order's with ?orderId=.");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<Notification>>, ValidationProblem>> ListNotifications(
        string? orderId, int? limit, NotificationStore store, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (orderId is not null && !Slug.IsValid(orderId))
        {
            errors["orderId"] = [$"orderId must be {Slug.Rule}"];
        }

        if (limit is < 1 or > NotificationStore.IndexCap)
        {
            errors["limit"] = [$"limit must be between 1 and {NotificationStore.IndexCap}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await store.ListAsync(orderId, limit ?? DefaultLimit, cancellationToken));
    }
}

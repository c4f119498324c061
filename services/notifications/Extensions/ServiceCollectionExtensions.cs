using Dapr;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Notifications.Apis;
using Notifications.Infrastructure;

namespace Notifications.Extensions;

/// <summary>Everything the notifications service depends on, registered in one place.</summary>
public static class ServiceCollectionExtensions
{
    public static WebApplicationBuilder AddNotificationsServices(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<NotificationStore>();
        return builder;
    }

    /// <summary>
    /// Unwraps CloudEvents so handlers read the event data as their body, and forwards the CloudEvent <c>id</c> and
    /// <c>type</c> as <c>Cloudevent.id</c>/<c>Cloudevent.type</c> headers: the id is what makes handling idempotent.
    /// </summary>
    public static WebApplication UseNotificationsCloudEvents(this WebApplication app)
    {
        app.UseCloudEvents(new CloudEventsMiddlewareOptions
        {
            ForwardCloudEventPropertiesAsHeaders = true,
            IncludedCloudEventPropertiesAsHeaders = [EventHeaders.IdProperty, EventHeaders.TypeProperty],
        });
        return app;
    }
}

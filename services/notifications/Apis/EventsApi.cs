using System.Text.Json;
using Contracts;
using Dapr;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Notifications.Infrastructure;
using Notifications.Models;

namespace Notifications.Apis;

/// <summary>
/// The subscriptions (served on <c>/dapr/subscribe</c> by <c>MapSubscribeHandler</c>) and their handlers. Topic
/// <c>orders</c> is routed by CloudEvent type: <c>order.completed</c> and <c>order.cancelled</c> each have a route,
/// anything else takes the default route, which drops it; dropped or undeliverable events go to
/// <c>orders-deadletter</c>, whose handler records them. Handlers are idempotent by CloudEvent id.
/// </summary>
public static partial class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/events").WithTags("Events");

        group.MapPost("/orders/completed", OnOrderCompleted)
            .WithTopic(OrdersRoute($"event.type == \"{DaprNames.EventTypes.OrderCompleted}\"", priority: 1))
            .WithName("OnOrderCompleted").WithSummary("Records that an order was completed (topic orders, type order.completed).");
        group.MapPost("/orders/cancelled", OnOrderCancelled)
            .WithTopic(OrdersRoute($"event.type == \"{DaprNames.EventTypes.OrderCancelled}\"", priority: 2))
            .WithName("OnOrderCancelled").WithSummary("Records that an order was cancelled (topic orders, type order.cancelled).");
        group.MapPost("/orders", OnUnknownOrderEvent)
            .WithTopic(OrdersRoute(match: null, priority: 0))
            .WithName("OnUnknownOrderEvent").WithSummary("Default route of topic orders: drops events of unknown type to the dead letter.");
        group.MapPost("/orders-deadletter", OnDeadLetter)
            .WithTopic(DaprNames.PubSub, DaprNames.Topics.OrdersDeadLetter)
            .WithName("OnDeadLetter").WithSummary("Records an orders event that could not be delivered.");
        group.MapPost("/items", OnItemUpserted)
            .WithTopic(DaprNames.PubSub, DaprNames.Topics.Items)
            .WithName("OnItemUpserted").WithSummary("Records that a catalog item was created or replaced (topic items).");

        return app;
    }

    private static TopicOptions OrdersRoute(string? match, int priority) => new()
    {
        PubsubName = DaprNames.PubSub,
        Name = DaprNames.Topics.Orders,
        Match = match,
        Priority = priority,
        DeadLetterTopic = DaprNames.Topics.OrdersDeadLetter,
    };

    public static Task<Ok<TopicResponse>> OnOrderCompleted(HttpRequest request,
        [FromHeader(Name = EventHeaders.Id)] string? eventId, [AsParameters] EventServices services, CancellationToken cancellationToken) =>
        HandleAsync<OrderCompleted>(request, eventId, DaprNames.Topics.Orders, DaprNames.EventTypes.OrderCompleted, services,
            e => string.IsNullOrWhiteSpace(e.OrderId) ? null
                : (e.OrderId, $"Order {e.OrderId} for customer {e.CustomerId} is complete; {e.Total:0.00} was charged."),
            cancellationToken);

    public static Task<Ok<TopicResponse>> OnOrderCancelled(HttpRequest request,
        [FromHeader(Name = EventHeaders.Id)] string? eventId, [AsParameters] EventServices services, CancellationToken cancellationToken) =>
        HandleAsync<OrderCancelled>(request, eventId, DaprNames.Topics.Orders, DaprNames.EventTypes.OrderCancelled, services,
            e => string.IsNullOrWhiteSpace(e.OrderId) ? null
                : (e.OrderId, $"Order {e.OrderId} for customer {e.CustomerId} was cancelled: {e.Reason}"),
            cancellationToken);

    public static Task<Ok<TopicResponse>> OnItemUpserted(HttpRequest request,
        [FromHeader(Name = EventHeaders.Id)] string? eventId, [AsParameters] EventServices services, CancellationToken cancellationToken) =>
        HandleAsync<ItemUpserted>(request, eventId, DaprNames.Topics.Items, DaprNames.EventTypes.ItemUpserted, services,
            e => string.IsNullOrWhiteSpace(e.Id) ? null
                : (null, $"Item {e.Id} ({e.Name}) now costs {e.Price:0.00} with {e.Stock} in stock."),
            cancellationToken);

    /// <summary>An event type nobody handles can never succeed: DROP sends it to the dead-letter topic instead of retrying.</summary>
    public static Ok<TopicResponse> OnUnknownOrderEvent(
        [FromHeader(Name = EventHeaders.Id)] string? eventId, [FromHeader(Name = EventHeaders.Type)] string? type,
        [AsParameters] EventServices services)
    {
        LogDropped(services.Logger, eventId, DaprNames.Topics.Orders, $"no route for event type '{type}'");
        return TypedResults.Ok(TopicResponse.Drop);
    }

    /// <summary>Records a dead letter whatever its data; the order id is taken from the data when it has one.</summary>
    public static async Task<Ok<TopicResponse>> OnDeadLetter(HttpRequest request,
        [FromHeader(Name = EventHeaders.Id)] string? eventId, [FromHeader(Name = EventHeaders.Type)] string? type,
        [AsParameters] EventServices services, CancellationToken cancellationToken)
    {
        if (!IsUsableId(eventId))
        {
            LogDropped(services.Logger, eventId, DaprNames.Topics.OrdersDeadLetter, "no usable CloudEvent id");
            return TypedResults.Ok(TopicResponse.Drop);
        }

        var data = await EventBody.TryReadAsync<JsonElement>(request, cancellationToken);
        var orderId = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("orderId", out var id)
            && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        await RecordAsync(services, eventId!, DaprNames.Topics.OrdersDeadLetter, type ?? "unknown", orderId,
            $"Undeliverable '{type}' event {eventId} on topic {DaprNames.Topics.Orders}" + (orderId is null ? "." : $" for order {orderId}."),
            cancellationToken);
        return TypedResults.Ok(TopicResponse.Success);
    }

    private static async Task<Ok<TopicResponse>> HandleAsync<T>(HttpRequest request, string? eventId, string topic, string type,
        EventServices services, Func<T, (string? OrderId, string Message)?> describe, CancellationToken cancellationToken)
    {
        if (!IsUsableId(eventId))
        {
            LogDropped(services.Logger, eventId, topic, "no usable CloudEvent id");
            return TypedResults.Ok(TopicResponse.Drop);
        }

        var data = await EventBody.TryReadAsync<T>(request, cancellationToken);
        if (data is null || describe(data) is not { } described)
        {
            // Malformed data fails the same way on every delivery: dead-letter it rather than retry.
            LogDropped(services.Logger, eventId, topic, $"data is not a valid {typeof(T).Name}");
            return TypedResults.Ok(TopicResponse.Drop);
        }

        await RecordAsync(services, eventId!, topic, type, described.OrderId, described.Message, cancellationToken);
        return TypedResults.Ok(TopicResponse.Success);
    }

    private static async Task RecordAsync(EventServices services, string eventId, string topic, string type, string? orderId,
        string message, CancellationToken cancellationToken)
    {
        var notification = new Notification($"{topic}:{eventId}", eventId, topic, type,
            orderId is not null && ResourceId.IsValid(orderId) ? orderId : null, message, services.Time.GetUtcNow());
        if (!await services.Store.RecordAsync(notification, cancellationToken))
        {
            LogDuplicate(services.Logger, eventId, topic);
        }
    }

    /// <summary>The id becomes part of a state key, where <c>||</c> is reserved by Dapr.</summary>
    private static bool IsUsableId(string? eventId) =>
        !string.IsNullOrWhiteSpace(eventId) && eventId.Length <= 200 && !eventId.Contains("||", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropping event {EventId} on topic {Topic}: {Why}")]
    private static partial void LogDropped(ILogger logger, string? eventId, string topic, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} on topic {Topic} was recorded before; redelivery ignored")]
    private static partial void LogDuplicate(ILogger logger, string eventId, string topic);
}

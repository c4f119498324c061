using System.Net;
using Contracts;
using Dapr.Workflow;
using Orders.Infrastructure;

namespace Orders.Workflows.Activities;

/// <summary>
/// Reserves stock in catalog through Dapr service invocation. Catalog's 409 (stock short), 404 (no such item) and
/// 400 (an item id or quantity it refuses) are answers, not failures: they come back as a refused reservation, which
/// cancels the order, and are never retried. Anything else throws, for the workflow's retry policy. Catalog keys
/// reservations by order, so a retried call does not reserve twice.
/// </summary>
public sealed partial class ReserveItemActivity(AppClients apps, ILogger<ReserveItemActivity> logger)
    : WorkflowActivity<ReserveItem, ReservationResult>
{
    public override async Task<ReservationResult> RunAsync(WorkflowActivityContext context, ReserveItem input)
    {
        var catalog = apps.For(DaprNames.AppIds.Catalog);
        using var response = await catalog.PostAsJsonAsync(
            $"items/{input.ItemId}/reservations", new ReservationRequest(input.OrderId, input.Quantity));

        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            var fallback = response.StatusCode switch
            {
                HttpStatusCode.NotFound => $"Item '{input.ItemId}' does not exist.",
                HttpStatusCode.BadRequest => $"Catalog refused item '{input.ItemId}' with {input.Quantity} units.",
                _ => $"Not enough stock of item '{input.ItemId}' for {input.Quantity} units.",
            };
            var reason = await ProblemReason.ReadAsync(response, fallback, CancellationToken.None);
            LogRefused(logger, input.OrderId, input.ItemId, reason);
            return new ReservationResult(false, 0m, reason);
        }

        response.EnsureSuccessStatusCode();
        var reservation = await response.Content.ReadFromJsonAsync<Reservation>()
            ?? throw new InvalidOperationException($"Catalog answered an empty reservation for item '{input.ItemId}'.");
        return new ReservationResult(true, reservation.UnitPrice, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: catalog refused to reserve {ItemId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string orderId, string itemId, string reason);
}

using System.Net;
using Contracts;
using Dapr.Workflow;
using Orders.Infrastructure;

namespace Orders.Workflows.Activities;

/// <summary>
/// Compensation: gives an order's reserved stock back to catalog. Catalog's release is idempotent (204 whether or not
/// the order held any); an item that is gone (404) or an id catalog refuses (400) holds nothing to give back. Anything
/// else throws, for the workflow's compensation retry policy.
/// </summary>
public sealed partial class ReleaseReservationActivity(AppClients apps, ILogger<ReleaseReservationActivity> logger)
    : WorkflowActivity<ReleaseReservation, bool>
{
    public override async Task<bool> RunAsync(WorkflowActivityContext context, ReleaseReservation input)
    {
        var catalog = apps.For(DaprNames.AppIds.Catalog);
        using var response = await catalog.DeleteAsync($"items/{input.ItemId}/reservations/{input.OrderId}");

        if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.BadRequest))
        {
            response.EnsureSuccessStatusCode();
        }

        LogReleased(logger, input.OrderId, input.ItemId);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: released the reservation of {ItemId}")]
    private static partial void LogReleased(ILogger logger, string orderId, string itemId);
}

using System.Net;
using Contracts;
using Dapr.Workflow;
using Orders.Infrastructure;

namespace Orders.Workflows.Activities;

/// <summary>Compensation: gives an order's reserved stock back to catalog. A reservation already gone (404) counts as released.</summary>
public sealed partial class ReleaseReservationActivity(AppClients apps, ILogger<ReleaseReservationActivity> logger)
    : WorkflowActivity<ReleaseReservation, bool>
{
    public override async Task<bool> RunAsync(WorkflowActivityContext context, ReleaseReservation input)
    {
        var catalog = apps.For(DaprNames.AppIds.Catalog);
        using var response = await catalog.DeleteAsync($"items/{input.ItemId}/reservations/{input.OrderId}");

        // 404: released already (a retried compensation), nothing left to give back.
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }

        LogReleased(logger, input.OrderId, input.ItemId);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId}: released the reservation of {ItemId}")]
    private static partial void LogReleased(ILogger logger, string orderId, string itemId);
}

using System.Globalization;
using Contracts;
using Microsoft.AspNetCore.Mvc;
using Notifications.Infrastructure;
using ServiceDefaults;

namespace Notifications.Models;

/// <summary>
/// <c>GET /notifications?orderId=&amp;limit=</c>. Taken as text so a malformed limit answers the same validation problem
/// as an out-of-range one.
/// </summary>
public sealed record ListNotificationsQuery([FromQuery] string? OrderId, [FromQuery] string? Limit) : IValidatable
{
    public const int DefaultLimit = 50;

    public int PageSize => Limit is null ? DefaultLimit : int.Parse(Limit, NumberStyles.None, CultureInfo.InvariantCulture);

    public IDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (OrderId is not null && !ResourceId.IsValid(OrderId))
        {
            errors["orderId"] = [$"orderId is not a valid order id: {ResourceId.Rule}"];
        }

        if (Limit is not null && (!int.TryParse(Limit, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            || limit is < 1 or > NotificationStore.IndexCap))
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {NotificationStore.IndexCap} (default {DefaultLimit})."];
        }

        return errors;
    }
}

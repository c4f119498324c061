using System.Globalization;
using Catalog.Domain;
using Microsoft.AspNetCore.Mvc;
using ServiceDefaults;

namespace Catalog.Models;

/// <summary>
/// <c>GET /items?limit=&amp;cursor=</c>. Taken as text so a malformed limit answers the same validation problem as
/// an out-of-range one.
/// </summary>
public sealed record ListItemsQuery([FromQuery] string? Limit, [FromQuery] string? Cursor) : IValidatable
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public int PageSize => Limit is null ? DefaultLimit : int.Parse(Limit, NumberStyles.None, CultureInfo.InvariantCulture);

    public string? After => Cursor is not null && PageCursor.TryDecode(Cursor, out var id) ? id : null;

    public IDictionary<string, string[]> Validate() => new ValidationErrors()
        .When(Limit is not null && (!int.TryParse(Limit, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            || limit is < 1 or > MaxLimit), "limit", $"limit must be a whole number from 1 to {MaxLimit} (default {DefaultLimit}).")
        .When(Cursor is not null && !PageCursor.TryDecode(Cursor, out _), "cursor",
            "cursor is not one this service issued; pass the nextCursor of the previous page, or omit it to start over.")
        .ToDictionary();
}

using Contracts;
using ServiceDefaults;

namespace Orders.Models;

/// <summary>Body of <c>POST /orders</c>. <paramref name="OrderId"/> makes the request idempotent; one is generated when absent.</summary>
public sealed record CreateOrderRequest(string? OrderId, string? CustomerId, IReadOnlyList<OrderLine?>? Lines) : IValidatable
{
    /// <summary>Lines per order: one reservation activity each, so the workflow's history stays small.</summary>
    public const int MaxLines = 50;

    /// <summary>Units per line: what a shop order needs, and small enough that no total computed from it overflows.</summary>
    public const int MaxQuantity = 1000;

    public IDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (OrderId is not null && !ResourceId.IsValid(OrderId))
        {
            errors["orderId"] = [$"orderId must be {ResourceId.Rule}"];
        }

        if (string.IsNullOrEmpty(CustomerId))
        {
            errors["customerId"] = ["customerId is required."];
        }
        else if (!ResourceId.IsValid(CustomerId))
        {
            errors["customerId"] = [$"customerId must be {ResourceId.Rule}"];
        }

        if (Lines is null || Lines.Count is 0 or > MaxLines)
        {
            errors["lines"] = [$"An order has 1 to {MaxLines} lines."];
            return errors;
        }

        for (var i = 0; i < Lines.Count; i++)
        {
            var line = Lines[i];
            if (line is null)
            {
                errors[$"lines[{i}]"] = ["A line needs an itemId and a quantity."];
                continue;
            }

            if (!ResourceId.IsValid(line.ItemId))
            {
                errors[$"lines[{i}].itemId"] = [$"itemId must be {ResourceId.Rule}"];
            }

            if (line.Quantity is < 1 or > MaxQuantity)
            {
                errors[$"lines[{i}].quantity"] = [$"quantity must be 1 to {MaxQuantity}."];
            }
        }

        // One reservation per item and order in catalog, so an item may appear once: merge the quantities instead.
        var repeated = Lines.OfType<OrderLine>().GroupBy(l => l.ItemId, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            errors["lines"] = [$"Each item may appear once; merge the lines for: {string.Join(", ", repeated)}."];
        }

        return errors;
    }

    /// <summary>The lines of a request that passed <see cref="Validate"/>.</summary>
    public IReadOnlyList<OrderLine> ValidLines() => [.. Lines!.OfType<OrderLine>()];
}

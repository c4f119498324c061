using ServiceDefaults;

namespace Orders.Models;

/// <summary>Body of <c>POST /orders</c>. <paramref name="OrderId"/> makes the request idempotent; one is generated when absent.</summary>
public sealed record CreateOrderRequest(string? OrderId, string? CustomerId, IReadOnlyList<OrderLine>? Lines) : IValidatable
{
    public const int MaxLines = 50;

    public IDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (OrderId is not null && !Slug.IsValid(OrderId))
        {
            errors["orderId"] = [$"orderId must be {Slug.Rule}"];
        }

        if (string.IsNullOrWhiteSpace(CustomerId))
        {
            errors["customerId"] = ["customerId is required."];
        }
        else if (!Slug.IsValid(CustomerId))
        {
            errors["customerId"] = [$"customerId must be {Slug.Rule}"];
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

            if (!Slug.IsValid(line.ItemId))
            {
                errors[$"lines[{i}].itemId"] = [$"itemId must be {Slug.Rule}"];
            }

            if (line.Quantity < 1)
            {
                errors[$"lines[{i}].quantity"] = ["quantity must be at least 1."];
            }
        }

        // One reservation per item and order in catalog, so an item may appear once: merge the quantities instead.
        var repeated = Lines.Where(l => l is not null).GroupBy(l => l.ItemId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            errors["lines"] = [$"Each item may appear once; merge the lines for: {string.Join(", ", repeated)}."];
        }

        return errors;
    }
}

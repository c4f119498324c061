namespace Orders.Workflows;

/// <summary>
/// Order totals computed checked: a unit price from catalog times a quantity, summed over the lines, must stay within
/// <see cref="Max"/>, or the order cannot be charged and is cancelled (instead of an exception that leaves stock held).
/// </summary>
public static class OrderTotal
{
    /// <summary>The largest total an order may reach; far above any charge payments approves, far below decimal's range.</summary>
    public const decimal Max = 1_000_000_000_000m;

    /// <summary>Adds <paramref name="quantity"/> x <paramref name="unitPrice"/> to <paramref name="total"/>; false when out of range.</summary>
    public static bool TryAdd(decimal total, int quantity, decimal unitPrice, out decimal result)
    {
        result = total;
        if (quantity < 0 || unitPrice < 0 || unitPrice > Max)
        {
            return false;
        }

        // Both factors are at most Max (quantity is bounded far lower), so the product cannot overflow decimal.
        var sum = total + (quantity * unitPrice);
        if (sum > Max)
        {
            return false;
        }

        result = sum;
        return true;
    }
}

using System.Globalization;

namespace Sidecar.Hosting;

/// <summary>
/// A byte size written as a Kubernetes resource quantity, as daprd's <c>--max-body-size</c> and the Dapr CLI's
/// <c>maxBodySize</c> take it: a number with an optional binary (<c>Ki Mi Gi Ti Pi Ei</c>) or decimal
/// (<c>k M G T P E</c>) suffix, e.g. <c>4Mi</c>, <c>1k</c>, <c>400</c>. Fractions round up to a whole byte.
/// </summary>
public static class ByteQuantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40), ("Pi", 1L << 50), ("Ei", 1L << 60),
        ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m), ("P", 1e15m), ("E", 1e18m),
    ];

    /// <summary>Parses <paramref name="text"/>; false when it is not a quantity.</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var value = text.Trim();
        var factor = 1m;
        foreach (var (suffix, multiplier) in Suffixes)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                value = value[..^suffix.Length];
                factor = multiplier;
                break;
            }
        }

        if (value.Length == 0 || !decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        try
        {
            bytes = (long)Math.Ceiling(number * factor);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}

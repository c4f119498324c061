using System.Globalization;

namespace Deploy.Tests.Support;

/// <summary>Kubernetes resource quantities (<c>100m</c>, <c>0.5</c>, <c>256Mi</c>, <c>1G</c>) as numbers, to compare requests with limits.</summary>
internal static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] s_suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024),
        ("k", 1000m), ("M", 1000m * 1000), ("G", 1000m * 1000 * 1000), ("m", 0.001m),
    ];

    public static decimal? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var (suffix, factor) = s_suffixes.FirstOrDefault(s => text.EndsWith(s.Suffix, StringComparison.Ordinal));
        var number = suffix is null ? text : text[..^suffix.Length];
        return decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value * (suffix is null ? 1 : factor) : null;
    }
}

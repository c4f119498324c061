using System.Globalization;
using System.Text.RegularExpressions;

namespace Sidecar.AppChannel.Resources;

/// <summary>Parses Go duration strings as Dapr resources write them (<c>5s</c>, <c>500ms</c>, <c>1m30s</c>, <c>2h</c>).</summary>
internal static partial class GoDuration
{
    public static TimeSpan Parse(string text, string what)
    {
        var trimmed = text.Trim();
        if (trimmed == "0")
        {
            return TimeSpan.Zero;
        }

        var matches = Part().Matches(trimmed);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != trimmed)
        {
            throw new FormatException($"{what}: '{text}' is not a duration (examples: 500ms, 5s, 1m30s)");
        }

        var total = TimeSpan.Zero;
        foreach (Match match in matches)
        {
            var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            total += match.Groups[2].Value switch
            {
                "ns" => TimeSpan.FromTicks((long)(amount / 100)),
                "us" or "µs" => TimeSpan.FromTicks((long)(amount * 10)),
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromHours(amount),
            };
        }

        return total;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();
}

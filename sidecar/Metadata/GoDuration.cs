using System.Globalization;

namespace Sidecar.Metadata;

/// <summary>A duration as Go's <c>time.Duration.String()</c> prints it (<c>5s</c>, <c>500ms</c>, <c>1m30s</c>, <c>1.5s</c>), as daprd reports it.</summary>
internal static class GoDuration
{
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var sign = duration < TimeSpan.Zero ? "-" : "";
        var ticks = Math.Abs(duration.Ticks);
        if (ticks < TimeSpan.TicksPerSecond)
        {
            // Below a second Go picks the largest unit that keeps an integer part: ms, µs, then ns.
            return ticks >= TimeSpan.TicksPerMillisecond
                ? sign + Number(ticks / (double)TimeSpan.TicksPerMillisecond) + "ms"
                : ticks * 100 >= 1000 ? sign + Number(ticks / 10.0) + "µs" : sign + (ticks * 100).ToString(CultureInfo.InvariantCulture) + "ns";
        }

        var hours = ticks / TimeSpan.TicksPerHour;
        var minutes = ticks % TimeSpan.TicksPerHour / TimeSpan.TicksPerMinute;
        var seconds = ticks % TimeSpan.TicksPerMinute / (double)TimeSpan.TicksPerSecond;
        var text = sign;
        if (hours > 0)
        {
            text += hours.ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (hours > 0 || minutes > 0)
        {
            text += minutes.ToString(CultureInfo.InvariantCulture) + "m";
        }

        return text + Number(seconds) + "s";
    }

    private static string Number(double value) => value.ToString("0.#########", CultureInfo.InvariantCulture);
}

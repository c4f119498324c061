using Cronos;
using Sidecar.AppChannel.Resources;

namespace Sidecar.Components.Bindings;

/// <summary>
/// A <c>schedule</c> in the syntax of daprd's cron binding (dapr/kit cron, robfig's parser with optional seconds and
/// descriptors): 5 fields, 6 fields with seconds first, <c>@yearly</c>/<c>@annually</c>, <c>@monthly</c>,
/// <c>@weekly</c>, <c>@daily</c>/<c>@midnight</c>, <c>@hourly</c>, <c>@every &lt;Go duration&gt;</c>, optionally
/// prefixed by <c>CRON_TZ=</c> or <c>TZ=</c> and a time zone. Without a zone the sidecar's local zone applies.
/// </summary>
// dapr/components-contrib bindings/cron/cron.go (cron.SecondOptional | ... | cron.Descriptor)
internal sealed class CronSchedule
{
    private readonly CronExpression? _expression;
    private readonly TimeSpan _every;

    private CronSchedule(CronExpression? expression, TimeSpan every, TimeZoneInfo zone, string zoneName)
    {
        _expression = expression;
        _every = every;
        Zone = zone;
        ZoneName = zoneName;
    }

    /// <summary>The zone the fields are read in.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>The zone's name as Go prints the location: <c>Local</c> unless the schedule names one.</summary>
    public string ZoneName { get; }

    /// <summary>Parses <paramref name="spec"/>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static CronSchedule Parse(string spec)
    {
        var text = spec.Trim();
        var zone = TimeZoneInfo.Local;
        var zoneName = "Local";
        if (text.StartsWith("TZ=", StringComparison.Ordinal) || text.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            var end = text.IndexOf(' ', StringComparison.Ordinal);
            if (end < 0)
            {
                throw new FormatException("a time zone prefix must be followed by the schedule");
            }

            zoneName = text[(text.IndexOf('=', StringComparison.Ordinal) + 1)..end];
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(zoneName);
            }
            catch (TimeZoneNotFoundException)
            {
                throw new FormatException($"provided bad location {zoneName}: unknown time zone {zoneName}");
            }

            text = text[(end + 1)..].Trim();
        }

        if (text.StartsWith("@every ", StringComparison.Ordinal))
        {
            var every = GoDuration.Parse(text["@every ".Length..], "@every");
            // As robfig's Every: whole seconds, at least one.
            every = TimeSpan.FromSeconds(Math.Max(1, Math.Floor(every.TotalSeconds)));
            return new CronSchedule(null, every, zone, zoneName);
        }

        var fields = text switch
        {
            "@yearly" or "@annually" => "0 0 0 1 1 *",
            "@monthly" => "0 0 0 1 * *",
            "@weekly" => "0 0 0 * * 0",
            "@daily" or "@midnight" => "0 0 0 * * *",
            "@hourly" => "0 0 * * * *",
            _ when text.StartsWith('@') => throw new FormatException($"unrecognized descriptor: {text}"),
            _ => text,
        };
        var count = fields.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var format = count switch
        {
            5 => CronFormat.Standard,
            6 => CronFormat.IncludeSeconds,
            _ => throw new FormatException($"expected 5 to 6 fields, found {count}: {text}"),
        };
        try
        {
            return new CronSchedule(CronExpression.Parse(fields, format), TimeSpan.Zero, zone, zoneName);
        }
        catch (CronFormatException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    /// <summary>The first firing strictly after <paramref name="now"/>, or null when the expression never fires again.</summary>
    public DateTimeOffset? Next(DateTimeOffset now)
    {
        if (_expression is null)
        {
            // robfig's ConstantDelaySchedule: the current second, truncated, plus the delay.
            var truncated = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            return truncated + _every;
        }

        return _expression.GetNextOccurrence(now, Zone);
    }
}

using Cronos;

namespace Sidecar.Jobs;

/// <summary>
/// A job's <c>schedule</c> in daprd's scheduler syntax: <c>@every &lt;Go duration&gt;</c>; the macros <c>@yearly</c>
/// (<c>@annually</c>), <c>@monthly</c>, <c>@weekly</c>, <c>@daily</c> (<c>@midnight</c>), <c>@hourly</c>; or a cron
/// expression of six fields with seconds first (<c>*/10 * * * * *</c>; names like <c>MON</c> and <c>?</c> allowed).
/// Times are UTC, as the scheduler's are.
/// </summary>
internal sealed class JobSchedule
{
    private readonly TimeSpan? _every;
    private readonly CronExpression? _cron;

    private JobSchedule(TimeSpan? every, CronExpression? cron)
    {
        _every = every;
        _cron = cron;
    }

    /// <summary>Reads <paramref name="text"/>; the error says what is wrong.</summary>
    public static bool TryParse(string text, out JobSchedule? schedule, out string error)
    {
        schedule = null;
        error = "";
        var trimmed = text.Trim();
        if (trimmed.StartsWith("@every ", StringComparison.Ordinal))
        {
            var period = trimmed["@every ".Length..].Trim();
            if (!GoDuration.TryParse(period, out var every) || every <= TimeSpan.Zero)
            {
                error = $"'{period}' of '@every' is not a positive duration (e.g. 10s, 1m30s)";
                return false;
            }

            schedule = new JobSchedule(every, null);
            return true;
        }

        var expression = trimmed switch
        {
            "@yearly" or "@annually" => "0 0 0 1 1 *",
            "@monthly" => "0 0 0 1 * *",
            "@weekly" => "0 0 0 * * 0",
            "@daily" or "@midnight" => "0 0 0 * * *",
            "@hourly" => "0 0 * * * *",
            _ => trimmed,
        };
        if (expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 6)
        {
            error = $"'{text}' is not @every <duration>, a @macro or a cron expression of 6 fields (seconds first)";
            return false;
        }

        try
        {
            schedule = new JobSchedule(null, CronExpression.Parse(expression, CronFormat.IncludeSeconds));
            return true;
        }
        catch (CronFormatException ex)
        {
            error = $"'{text}' is not a valid cron expression: {ex.Message}";
            return false;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) =>
        _every is { } every ? after + every : _cron!.GetNextOccurrence(after, TimeZoneInfo.Utc, inclusive: false);
}

using System.Globalization;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace Sidecar.Jobs;

/// <summary>
/// When a job fires, read from its fields as daprd's scheduler reads them: <c>dueTime</c> (RFC 3339 or a Go duration
/// from creation) is the first trigger, else the schedule's first occurrence after creation; later triggers follow
/// the schedule; <c>repeats</c> (0: no limit) counts triggers; <c>ttl</c> (RFC 3339 or a duration from creation) ends
/// the job; a job with a due time and no schedule fires once. Failures are retried by the failure policy: by default
/// every second, 3 times; <c>drop</c> never retries; <c>constant</c> without <c>maxRetries</c> retries forever.
/// </summary>
internal sealed class JobPlan
{
    private static readonly TimeSpan DefaultRetryInterval = TimeSpan.FromSeconds(1);
    private const uint DefaultMaxRetries = 3;

    private readonly JobSchedule? _schedule;
    private readonly DateTimeOffset? _dueAt;
    private readonly DateTimeOffset? _expiresAt;
    private readonly uint _repeats;

    private JobPlan(JobSchedule? schedule, DateTimeOffset? dueAt, DateTimeOffset? expiresAt, uint repeats, TimeSpan? retryInterval, uint? maxRetries)
    {
        _schedule = schedule;
        _dueAt = dueAt;
        _expiresAt = expiresAt;
        _repeats = repeats;
        RetryInterval = retryInterval;
        MaxRetries = maxRetries;
    }

    /// <summary>The wait between failed attempts; null when a failure is dropped at once.</summary>
    public TimeSpan? RetryInterval { get; }

    /// <summary>How many times a failed trigger is retried; null: without limit.</summary>
    public uint? MaxRetries { get; }

    /// <summary>Reads <paramref name="job"/> as created at <paramref name="created"/>; throws a DaprError when a field cannot be read.</summary>
    public static JobPlan From(Proto.Job job, DateTimeOffset created)
    {
        JobSchedule? schedule = null;
        if (job.HasSchedule && !JobSchedule.TryParse(job.Schedule, out schedule, out var error))
        {
            throw JobsErrors.Invalid($"invalid schedule: {error}").ToException();
        }

        var dueAt = job.HasDueTime ? PointInTime(job.DueTime, created, "dueTime") : (DateTimeOffset?)null;
        var expiresAt = job.HasTtl ? PointInTime(job.Ttl, created, "ttl") : (DateTimeOffset?)null;
        if (expiresAt is { } expiry && dueAt is { } due && expiry < due)
        {
            throw JobsErrors.Invalid($"ttl '{job.Ttl}' ends the job before its dueTime '{job.DueTime}'").ToException();
        }

        var (interval, maxRetries) = job.FailurePolicy?.PolicyCase switch
        {
            null or Proto.JobFailurePolicy.PolicyOneofCase.None => (DefaultRetryInterval, DefaultMaxRetries),
            Proto.JobFailurePolicy.PolicyOneofCase.Drop => ((TimeSpan?)null, (uint?)0),
            _ => (job.FailurePolicy.Constant.Interval?.ToTimeSpan() ?? TimeSpan.Zero,
                  job.FailurePolicy.Constant.HasMaxRetries ? job.FailurePolicy.Constant.MaxRetries : (uint?)null),
        };
        return new JobPlan(schedule, dueAt, expiresAt, job.HasRepeats ? job.Repeats : 0, interval, maxRetries);
    }

    /// <summary>True when the job's ttl has ended by <paramref name="at"/>.</summary>
    public bool ExpiredAt(DateTimeOffset at) => _expiresAt is { } expiry && at > expiry;

    /// <summary>When the job ends by its ttl, if it has one.</summary>
    public DateTimeOffset? ExpiresAt => _expiresAt;

    /// <summary>The first trigger, or null when the job never fires (expired before it).</summary>
    public DateTimeOffset? First(DateTimeOffset created) => Within(_dueAt ?? _schedule?.Next(created), 0);

    /// <summary>The trigger after the one due at <paramref name="due"/>, the <paramref name="count"/>th, or null when the job is done.</summary>
    public DateTimeOffset? After(DateTimeOffset due, uint count, DateTimeOffset now)
    {
        if (_schedule is null)
        {
            return null;
        }

        var next = _schedule.Next(due);
        // Occurrences missed while no sidecar ran are not fired one by one: the first missed one fired, then on from now.
        if (next is { } n && n < now)
        {
            next = _schedule.Next(now);
        }

        return Within(next, count);
    }

    private DateTimeOffset? Within(DateTimeOffset? trigger, uint count) =>
        trigger is { } t && (_repeats == 0 || count < _repeats) && (_expiresAt is not { } expiry || t <= expiry) ? t : null;

    private static DateTimeOffset PointInTime(string text, DateTimeOffset created, string field)
    {
        if (GoDuration.TryParse(text, out var duration))
        {
            return created + duration;
        }

        if (text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        throw JobsErrors.Invalid($"{field} '{text}' is neither an RFC 3339 time nor a duration (e.g. 10s, 1h30m)").ToException();
    }
}

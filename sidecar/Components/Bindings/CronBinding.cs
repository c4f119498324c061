using System.Globalization;

namespace Sidecar.Components.Bindings;

/// <summary>
/// <c>bindings.cron</c> (input): fires an event with no data on every tick of <c>schedule</c>, with metadata
/// <c>timeZone</c> and <c>readTimeUTC</c> as components-contrib sends them. Ticks do not wait for the app: a slow
/// delivery overlaps the next tick, as robfig's cron runs each job on its own goroutine. The app's answer is ignored.
/// </summary>
// dapr/components-contrib bindings/cron/cron.go
internal sealed partial class CronBinding(string name, CronSchedule schedule, TimeProvider time, ILogger<CronBinding> logger)
    : IInputBinding, IAsyncDisposable
{
    public const string Type = "bindings.cron";
    public const string Schedule = "schedule";

    private readonly CancellationTokenSource _closed = new();
    private Task _loop = Task.CompletedTask;

    public static CronBinding Create(ComponentContext context)
    {
        var definition = context.Definition;
        var spec = BindingMetadata.Get(definition, Schedule) ?? throw new InvalidOperationException("schedule not set");
        CronSchedule parsed;
        try
        {
            parsed = CronSchedule.Parse(spec);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"invalid schedule format '{spec}': {ex.Message}", ex);
        }

        return new CronBinding(definition.Name, parsed, context.Services.GetRequiredService<TimeProvider>(),
            context.Services.GetRequiredService<ILogger<CronBinding>>());
    }

    public Task StartAsync(Func<BindingEvent, CancellationToken, Task> handler, CancellationToken stopping)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _closed.Token);
        _loop = RunAsync(handler, linked);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting for the next tick.
        }

        _closed.Dispose();
    }

    private async Task RunAsync(Func<BindingEvent, CancellationToken, Task> handler, CancellationTokenSource linked)
    {
        using var owned = linked;
        var token = linked.Token;
        var from = time.GetUtcNow();
        while (schedule.Next(from) is { } next)
        {
            var wait = next - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, token);
            }

            // The next tick counts from this one or later: a timer that wakes early never fires the same tick twice,
            // and ticks missed while the machine stalled are skipped, as robfig's cron does.
            var now = time.GetUtcNow();
            from = now > next ? now : next;
            LogFired(name, next);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["timeZone"] = schedule.ZoneName,
                ["readTimeUTC"] = GoTimeString(now),
            };
            _ = Task.Run(() => handler(new BindingEvent([], metadata), token), CancellationToken.None);
        }
    }

    /// <summary>Go's <c>time.Time.String()</c> of a UTC time: <c>2006-01-02 15:04:05.999999999 +0000 UTC</c>.</summary>
    internal static string GoTimeString(DateTimeOffset utc)
    {
        var fraction = (utc.UtcTicks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return utc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            + (fraction.Length > 0 ? "." + fraction : "") + " +0000 UTC";
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "name: {Name}, schedule fired: {Tick}")]
    private partial void LogFired(string name, DateTimeOffset tick);
}

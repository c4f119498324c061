using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sidecar.Workflow.Engine;

namespace Sidecar.Workflow.Tests.Engine;

/// <summary>Timers follow the injected clock; the SDK's "no timeout" sentinel never fires.</summary>
public sealed class DurableTimersTests
{
    [Fact]
    public async Task Schedule_FiresWhenTheClockReachesFireAt_NotBefore()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var timers = new DurableTimers(time, NullLogger<DurableTimers>.Instance);
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        timers.Schedule(time.GetUtcNow().AddHours(3), () => { fired.TrySetResult(); return Task.CompletedTask; });
        time.Advance(TimeSpan.FromHours(2));
        var early = fired.Task.IsCompleted;
        // Waits are capped at an hour, so reaching fireAt takes the remaining hour in capped steps.
        time.Advance(TimeSpan.FromHours(1));
        await fired.Task.WaitAsync(TimeSpan.FromSeconds(2));

        Assert.False(early);
        Assert.True(fired.Task.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Schedule_AtTheExternalEventSentinel_NeverFires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var timers = new DurableTimers(time, NullLogger<DurableTimers>.Instance);
        var fired = false;

        timers.Schedule(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), () => { fired = true; return Task.CompletedTask; });
        time.Advance(TimeSpan.FromDays(365 * 100));
        await Task.Delay(50);

        Assert.False(fired);
    }
}

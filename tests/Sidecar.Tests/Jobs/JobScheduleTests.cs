using Sidecar.Jobs;

namespace Sidecar.Tests.Jobs;

/// <summary>daprd's schedule and duration syntax, read as the scheduler reads it.</summary>
public sealed class JobScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 15, 30, TimeSpan.Zero);

    [Theory]
    [InlineData("@every 10s", "2026-12-01T10:15:40Z")]
    [InlineData("@every 1h30m", "2026-12-01T11:45:30Z")]
    [InlineData("@hourly", "2026-12-01T11:00:00Z")]
    [InlineData("@daily", "2026-12-02T00:00:00Z")]
    [InlineData("@midnight", "2026-12-02T00:00:00Z")]
    [InlineData("@weekly", "2026-12-06T00:00:00Z")]
    [InlineData("@monthly", "2027-01-01T00:00:00Z")]
    [InlineData("@yearly", "2027-01-01T00:00:00Z")]
    [InlineData("*/20 * * * * *", "2026-12-01T10:15:40Z")]
    [InlineData("0 30 9 * * MON-FRI", "2026-12-02T09:30:00Z")]
    [InlineData("0 0 12 ? * *", "2026-12-01T12:00:00Z")]
    public void Next_FollowsDaprdsSyntax(string schedule, string expected)
    {
        Assert.True(JobSchedule.TryParse(schedule, out var parsed, out var error), error);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed!.Next(Start));
    }

    [Theory]
    [InlineData("* * * * *")]
    [InlineData("@every")]
    [InlineData("@every 0s")]
    [InlineData("@every soon")]
    [InlineData("61 * * * * *")]
    [InlineData("@fortnightly")]
    public void TryParse_RefusesWhatTheSchedulerRefuses(string schedule)
    {
        Assert.False(JobSchedule.TryParse(schedule, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("0", 0)]
    [InlineData("2m0.5s", 120_500)]
    public void GoDuration_ReadsGoSyntax(string text, long milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10 s")]
    [InlineData("1d")]
    public void GoDuration_RefusesOtherText(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Fact]
    public void Plan_DueTimeThenSchedule_StopsAtRepeatsAndTtl()
    {
        var job = new Dapr.Client.Autogen.Grpc.v1.Job { Name = "j", DueTime = "5s", Schedule = "@every 10s", Repeats = 3, Ttl = "1m" };
        var plan = JobPlan.From(job, Start);

        var first = plan.First(Start)!.Value;
        var second = plan.After(first, 1, first)!.Value;
        var third = plan.After(second, 2, second)!.Value;

        Assert.Equal(Start.AddSeconds(5), first);
        Assert.Equal(Start.AddSeconds(15), second);
        Assert.Equal(Start.AddSeconds(25), third);
        Assert.Null(plan.After(third, 3, third));
        var shortLived = JobPlan.From(new Dapr.Client.Autogen.Grpc.v1.Job { Name = "j", Schedule = "@every 10s", Ttl = "15s" }, Start);
        Assert.Null(shortLived.After(Start.AddSeconds(10), 1, Start.AddSeconds(10)));
    }

    [Fact]
    public void Plan_DueTimeAsRfc3339_IsThatInstant()
    {
        var job = new Dapr.Client.Autogen.Grpc.v1.Job { Name = "j", DueTime = "2026-12-24T18:00:00+01:00" };

        Assert.Equal(new DateTimeOffset(2026, 12, 24, 17, 0, 0, TimeSpan.Zero), JobPlan.From(job, Start).First(Start));
    }
}

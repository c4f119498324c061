using Sidecar.Components.Bindings;

namespace Sidecar.Tests.Bindings;

/// <summary>The <c>schedule</c> syntax of daprd's cron binding: descriptors, <c>@every</c>, 5 and 6 fields, zones.</summary>
public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 6, 7, 8, 9, 500, TimeSpan.Zero);

    [Theory]
    [InlineData("@every 10s", "2024-05-06T07:08:19Z")]
    [InlineData("@every 1m30s", "2024-05-06T07:09:39Z")]
    [InlineData("@every 100ms", "2024-05-06T07:08:10Z")]
    [InlineData("TZ=UTC */15 * * * * *", "2024-05-06T07:08:15Z")]
    [InlineData("CRON_TZ=UTC 0 30 * * * *", "2024-05-06T07:30:00Z")]
    [InlineData("TZ=UTC 0 12 * * *", "2024-05-06T12:00:00Z")]
    [InlineData("TZ=UTC @hourly", "2024-05-06T08:00:00Z")]
    [InlineData("TZ=UTC @daily", "2024-05-07T00:00:00Z")]
    [InlineData("TZ=UTC @midnight", "2024-05-07T00:00:00Z")]
    [InlineData("TZ=UTC @weekly", "2024-05-12T00:00:00Z")]
    [InlineData("TZ=UTC @monthly", "2024-06-01T00:00:00Z")]
    [InlineData("TZ=UTC @yearly", "2025-01-01T00:00:00Z")]
    [InlineData("TZ=UTC 0 0 9 * * MON-FRI", "2024-05-06T09:00:00Z")]
    public void Next_FollowsDaprsSyntax(string spec, string expected)
    {
        var next = CronSchedule.Parse(spec).Next(Now);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void NamedZone_IsReportedByName_AndLocalAsLocal()
    {
        Assert.Equal("UTC", CronSchedule.Parse("TZ=UTC @hourly").ZoneName);
        Assert.Equal("Local", CronSchedule.Parse("@hourly").ZoneName);
    }

    [Theory]
    [InlineData("* * * *", "expected 5 to 6 fields, found 4: * * * *")]
    [InlineData("0 0 0 * * * *", "expected 5 to 6 fields, found 7: 0 0 0 * * * *")]
    [InlineData("@fortnightly", "unrecognized descriptor: @fortnightly")]
    [InlineData("@every soon", "@every: 'soon' is not a duration")]
    [InlineData("61 * * * * *", "")]
    public void Malformed_IsRefusedWithAReason(string spec, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => CronSchedule.Parse(spec));

        Assert.StartsWith(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadTimeUtc_IsWrittenAsGoPrintsATime()
    {
        Assert.Equal("2024-05-06 07:08:09.5 +0000 UTC", CronBinding.GoTimeString(Now));
        Assert.Equal("2024-05-06 07:08:09 +0000 UTC", CronBinding.GoTimeString(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero)));
    }
}

using System.Net;
using Sidecar.Hosting;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Jobs;

/// <summary>Jobs live in the run's state file: a job scheduled before a sidecar stops fires from the next sidecar on that file.</summary>
public sealed class JobsDurabilityTests
{
    [Fact]
    public async Task JobScheduledBeforeARestart_FiresAfterIt()
    {
        await using var app = await JobApp.StartAsync();
        using var folder = ResourcesFolder.InMemory();
        var dataDirectory = Path.Combine(folder.Path, "data");
        SidecarOptions Configure(SidecarOptions o) => o with { AppPort = app.Port, DataDirectory = dataDirectory };

        await using (var first = await TestSidecar.StartAsync("jobs-durable", folder.Path, Configure))
        {
            using var http = new HttpClient { BaseAddress = new Uri(first.HttpEndpoint) };
            using var scheduled = await JobsHttpTests.PostAsync(http, "/v1.0-alpha1/jobs/remember", """{"dueTime":"3s","data":"still here"}""");
            Assert.Equal(HttpStatusCode.NoContent, scheduled.StatusCode);
        }

        Assert.Empty(app.Deliveries.Items);
        Assert.True(File.Exists(Path.Combine(dataDirectory, "state.db")));
        await using var second = await TestSidecar.StartAsync("jobs-durable", folder.Path, Configure);
        var delivery = (await app.Deliveries.WaitForAsync(1, TimeSpan.FromSeconds(15)))[0];

        Assert.Equal(("remember", "\"still here\""), (delivery.Name, delivery.Body));
    }

    [Fact]
    public async Task JobsOfAnotherAppId_OnTheSameStateFile_AreNotDelivered()
    {
        await using var app = await JobApp.StartAsync();
        using var folder = ResourcesFolder.InMemory();
        var dataDirectory = Path.Combine(folder.Path, "data");
        await using var scheduler = await TestSidecar.StartAsync("jobs-owner", folder.Path, o => o with { DataDirectory = dataDirectory });
        await using var other = await TestSidecar.StartAsync("jobs-other", folder.Path, o => o with { AppPort = app.Port, DataDirectory = dataDirectory });
        using var http = new HttpClient { BaseAddress = new Uri(scheduler.HttpEndpoint) };

        using var scheduled = await JobsHttpTests.PostAsync(http, "/v1.0-alpha1/jobs/mine", """{"dueTime":"0s"}""");
        await app.Deliveries.AssertStaysAtAsync(0, TimeSpan.FromSeconds(3));
        using var stillThere = await http.GetAsync("/v1.0-alpha1/jobs/mine");

        Assert.Equal(HttpStatusCode.NoContent, scheduled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.Jobs;

/// <summary>The jobs API over HTTP as daprd serves it, with the jobs delivered to a real app over real sockets.</summary>
public sealed class JobsHttpTests
{
    [Fact]
    public async Task ScheduledJob_WithDueTime_IsPostedToTheAppWithItsDataAsJson()
    {
        await using var app = await JobApp.StartAsync();
        using var folder = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("jobs-due", folder.Path, o => o with { AppPort = app.Port });
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var scheduled = await PostAsync(http, "/v1.0-alpha1/jobs/report", """{"dueTime":"1s","data":{"kind":"daily","n":3}}""");
        var delivery = (await app.Deliveries.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0];
        var afterFired = await StatusOnceSettledAsync(http, "/v1.0-alpha1/jobs/report");

        Assert.Equal(HttpStatusCode.NoContent, scheduled.StatusCode);
        Assert.Equal("report", delivery.Name);
        Assert.Equal("""{"kind":"daily","n":3}""", delivery.Body);
        Assert.Equal("application/json", delivery.ContentType);
        Assert.Equal(HttpStatusCode.InternalServerError, afterFired);
    }

    [Fact]
    public async Task GetJob_AnswersTheJobInProtojson_AndDeleteRemovesIt()
    {
        using var folder = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("jobs-get", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var scheduled = await PostAsync(http, "/v1.0/jobs/nightly", """
            {"schedule":"@daily","repeats":5,"ttl":"240h","data":"hello","failure_policy":{"constant":{"interval":"3s","max_retries":2}}}
            """);
        using var job = JsonDocument.Parse(await http.GetStringAsync("/v1.0/jobs/nightly"));
        using var deleted = await http.DeleteAsync("/v1.0-alpha1/jobs/nightly");
        using var deletedAgain = await http.DeleteAsync("/v1.0-alpha1/jobs/nightly");
        using var gone = await http.GetAsync("/v1.0/jobs/nightly");

        Assert.Equal(HttpStatusCode.NoContent, scheduled.StatusCode);
        var root = job.RootElement;
        Assert.Equal("nightly", root.GetProperty("name").GetString());
        Assert.Equal("@daily", root.GetProperty("schedule").GetString());
        Assert.Equal(5, root.GetProperty("repeats").GetInt32());
        Assert.Equal("240h", root.GetProperty("ttl").GetString());
        Assert.Equal("type.googleapis.com/google.protobuf.Value", root.GetProperty("data").GetProperty("@type").GetString());
        Assert.Equal("hello", root.GetProperty("data").GetProperty("value").GetString());
        Assert.Equal("3s", root.GetProperty("failurePolicy").GetProperty("constant").GetProperty("interval").GetString());
        Assert.Equal(2, root.GetProperty("failurePolicy").GetProperty("constant").GetProperty("maxRetries").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deletedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, gone.StatusCode);
        Assert.Equal("DAPR_SCHEDULER_GET_JOB", await ErrorCodeAsync(gone));
    }

    [Fact]
    public async Task ScheduleAgain_WithoutOverwrite_Answers409AndKeepsTheFirst_WithOverwriteReplacesIt()
    {
        using var folder = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("jobs-overwrite", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var first = await PostAsync(http, "/v1.0-alpha1/jobs/cleanup", """{"schedule":"@daily"}""");
        using var second = await PostAsync(http, "/v1.0-alpha1/jobs/cleanup", """{"schedule":"@weekly","repeats":3}""");
        using var kept = JsonDocument.Parse(await http.GetStringAsync("/v1.0-alpha1/jobs/cleanup"));
        using var third = await PostAsync(http, "/v1.0-alpha1/jobs/cleanup", """{"schedule":"@weekly","repeats":3,"overwrite":true}""");
        using var replaced = JsonDocument.Parse(await http.GetStringAsync("/v1.0-alpha1/jobs/cleanup"));

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("DAPR_SCHEDULER_SCHEDULE_JOB", await ErrorCodeAsync(second));
        Assert.Equal("@daily", kept.RootElement.GetProperty("schedule").GetString());
        Assert.Equal(HttpStatusCode.NoContent, third.StatusCode);
        Assert.Equal("@weekly", replaced.RootElement.GetProperty("schedule").GetString());
        Assert.Equal(3, replaced.RootElement.GetProperty("repeats").GetInt32());
    }

    [Fact]
    public async Task EverySecondWithRepeats_FiresThatManyTimes_ThenTheJobIsGone()
    {
        await using var app = await JobApp.StartAsync();
        using var folder = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("jobs-repeats", folder.Path, o => o with { AppPort = app.Port });
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var scheduled = await PostAsync(http, "/v1.0-alpha1/jobs/tick", """{"schedule":"@every 1s","repeats":2,"data":1}""");
        await app.Deliveries.WaitForAsync(2, TimeSpan.FromSeconds(15));
        await app.Deliveries.AssertStaysAtAsync(2, TimeSpan.FromSeconds(2));
        var gone = await StatusOnceSettledAsync(http, "/v1.0-alpha1/jobs/tick");

        Assert.All(app.Deliveries.Items, d => Assert.Equal("1", d.Body));
        Assert.Equal(HttpStatusCode.InternalServerError, gone);
    }

    [Fact]
    public async Task FailedDeliveries_AreRetriedEverySecondThreeTimesByDefault_AndDropPolicyNeverRetries()
    {
        await using var app = await JobApp.StartAsync();
        app.Answer("flaky", 500, 503, 500);
        app.Answer("dropped", 500);
        using var folder = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("jobs-retry", folder.Path, o => o with { AppPort = app.Port });
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var flaky = await PostAsync(http, "/v1.0-alpha1/jobs/flaky", """{"dueTime":"0s"}""");
        using var dropped = await PostAsync(http, "/v1.0-alpha1/jobs/dropped", """{"dueTime":"0s","failurePolicy":{"drop":{}}}""");
        await app.Deliveries.WaitForAsync(5, TimeSpan.FromSeconds(15));
        await app.Deliveries.AssertStaysAtAsync(5, TimeSpan.FromSeconds(2));

        Assert.Equal(4, app.Deliveries.Items.Count(d => d.Name == "flaky"));
        Assert.Equal(1, app.Deliveries.Items.Count(d => d.Name == "dropped"));
    }

    [Theory]
    [InlineData("{}", 400, "DAPR_SCHEDULER_SCHEDULE_EMPTY")]
    [InlineData("""{"schedule":"every day"}""", 400, "DAPR_SCHEDULER_SCHEDULE_JOB")]
    [InlineData("""{"schedule":"* * * * *"}""", 400, "DAPR_SCHEDULER_SCHEDULE_JOB")]
    [InlineData("""{"dueTime":"tomorrow"}""", 400, "DAPR_SCHEDULER_SCHEDULE_JOB")]
    [InlineData("""{"name":"other","schedule":"@daily"}""", 400, "DAPR_SCHEDULER_JOB_NAME")]
    [InlineData("""{"schedule":""", 400, "ERR_MALFORMED_REQUEST")]
    public async Task BadJob_IsRefusedWithDaprsErrorCode(string body, int status, string code)
    {
        using var folder = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("jobs-bad", folder.Path);
        using var http = new HttpClient { BaseAddress = new Uri(sidecar.HttpEndpoint) };

        using var response = await PostAsync(http, "/v1.0-alpha1/jobs/bad", body);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, await ErrorCodeAsync(response));
    }

    internal static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string json) =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>
    /// The status of GET <paramref name="path"/> once the job is gone, or the last one after 5 s: the app records a
    /// delivery before it answers, and the sidecar removes a finished job only after the answer.
    /// </summary>
    private static async Task<HttpStatusCode> StatusOnceSettledAsync(HttpClient http, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            using var response = await http.GetAsync(path);
            if (response.StatusCode != HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return response.StatusCode;
            }

            await Task.Delay(50);
        }
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("errorCode").GetString();
    }
}

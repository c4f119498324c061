using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sidecar.Workflow.Tests.Infrastructure;

namespace Sidecar.Workflow.Tests.Api;

/// <summary>The workflow HTTP API (<c>/v1.0-beta1/workflows/dapr/...</c>) over a real Dapr.Workflow worker, as curl sees it.</summary>
public sealed class WorkflowHttpApiTests
{
    [Fact]
    public async Task Start_Get_RaiseEvent_RunsTheWorkflowToCompletion_InDaprdsShape()
    {
        await using var harness = await WorkflowHarness.StartAsync(ManagementWorkflows.Register);
        using var http = new WorkflowHttpClient(harness.Sidecar.Options.HttpPort);
        var id = "http-" + Guid.NewGuid().ToString("N");

        using var start = await http.PostAsync($"AwaitApproval/start?instanceID={id}", "\"order-1\"");
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal(id, (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("instanceID").GetString());

        var running = await http.WaitForStatusAsync(id, "RUNNING");
        Assert.Equal(id, running.GetProperty("instanceID").GetString());
        Assert.Equal("AwaitApproval", running.GetProperty("workflowName").GetString());
        Assert.True(running.GetProperty("createdAt").GetDateTimeOffset() <= running.GetProperty("lastUpdatedAt").GetDateTimeOffset());
        var properties = running.GetProperty("properties");
        Assert.Equal("\"order-1\"", properties.GetProperty("dapr.workflow.input").GetString());
        Assert.Contains("waiting for approval", properties.GetProperty("dapr.workflow.custom_status").GetString());
        Assert.False(properties.TryGetProperty("dapr.workflow.output", out _));

        using var raise = await http.PostAsync($"{id}/raiseEvent/approval", "\"ann\"");
        Assert.Equal(HttpStatusCode.Accepted, raise.StatusCode);

        var completed = await http.WaitForStatusAsync(id, "COMPLETED");
        Assert.Equal("\"order-1 approved by ann\"", completed.GetProperty("properties").GetProperty("dapr.workflow.output").GetString());
        // The SDK's own client sees the same instance.
        var state = await harness.Client.GetWorkflowStateAsync(id);
        Assert.Equal("order-1 approved by ann", state!.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Start_WithoutInstanceId_GeneratesOne()
    {
        await using var harness = await WorkflowHarness.StartAsync(ManagementWorkflows.Register);
        using var http = new WorkflowHttpClient(harness.Sidecar.Options.HttpPort);

        using var start = await http.PostAsync("AwaitApproval/start", "\"order-2\"");

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("instanceID").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        await http.WaitForStatusAsync(id!, "RUNNING");
    }

    [Fact]
    public async Task Pause_HoldsTheWorkflow_EvenWhenItsEventArrives_UntilResume()
    {
        await using var harness = await WorkflowHarness.StartAsync(ManagementWorkflows.Register);
        using var http = new WorkflowHttpClient(harness.Sidecar.Options.HttpPort);
        var id = "pause-" + Guid.NewGuid().ToString("N");
        (await http.PostAsync($"AwaitApproval/start?instanceID={id}", "\"order-3\"")).Dispose();
        await http.WaitForStatusAsync(id, "RUNNING");

        using var pause = await http.PostAsync($"{id}/pause");
        Assert.Equal(HttpStatusCode.Accepted, pause.StatusCode);
        await http.WaitForStatusAsync(id, "SUSPENDED");
        (await http.PostAsync($"{id}/raiseEvent/approval", "\"bob\"")).Dispose();
        await Task.Delay(300);
        var stillPaused = await http.WaitForStatusAsync(id, "SUSPENDED");
        Assert.False(stillPaused.GetProperty("properties").TryGetProperty("dapr.workflow.output", out _));

        using var resume = await http.PostAsync($"{id}/resume");
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        var completed = await http.WaitForStatusAsync(id, "COMPLETED");
        Assert.Equal("\"order-3 approved by bob\"", completed.GetProperty("properties").GetProperty("dapr.workflow.output").GetString());
    }

    [Fact]
    public async Task Terminate_ThenPurge_RemovesTheInstance()
    {
        await using var harness = await WorkflowHarness.StartAsync(ManagementWorkflows.Register);
        using var http = new WorkflowHttpClient(harness.Sidecar.Options.HttpPort);
        var id = "term-" + Guid.NewGuid().ToString("N");
        (await http.PostAsync($"AwaitApproval/start?instanceID={id}", "\"order-4\"")).Dispose();
        await http.WaitForStatusAsync(id, "RUNNING");

        using var purgeRunning = await http.PostAsync($"{id}/purge");
        await AssertDaprErrorAsync(purgeRunning, HttpStatusCode.InternalServerError, "ERR_PURGE_WORKFLOW");

        using var terminate = await http.PostAsync($"{id}/terminate");
        Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        await http.WaitForStatusAsync(id, "TERMINATED");

        using var purge = await http.PostAsync($"{id}/purge");
        Assert.Equal(HttpStatusCode.Accepted, purge.StatusCode);
        using var get = await http.GetAsync(id);
        await AssertDaprErrorAsync(get, HttpStatusCode.NotFound, "ERR_INSTANCE_ID_NOT_FOUND");
    }

    [Fact]
    public async Task FailedWorkflow_ReportsItsFailureProperties()
    {
        await using var harness = await WorkflowHarness.StartAsync(ManagementWorkflows.Register);
        using var http = new WorkflowHttpClient(harness.Sidecar.Options.HttpPort);
        var id = "fail-" + Guid.NewGuid().ToString("N");

        (await http.PostAsync($"Failing/start?instanceID={id}", "\"order-5\"")).Dispose();
        var failed = await http.WaitForStatusAsync(id, "FAILED");

        var properties = failed.GetProperty("properties");
        Assert.Contains("InvalidOperationException", properties.GetProperty("dapr.workflow.failure.error_type").GetString());
        Assert.Contains("order-5 cannot be shipped", properties.GetProperty("dapr.workflow.failure.error_message").GetString());
    }

    [Theory]
    [InlineData("v1.0")]
    [InlineData("v1.0-alpha1")]
    public async Task OtherApiVersions_ServeTheSameApi(string version)
    {
        await using var harness = await WorkflowHarness.StartAsync(ManagementWorkflows.Register);
        using var http = new WorkflowHttpClient(harness.Sidecar.Options.HttpPort, version);
        var id = "ver-" + Guid.NewGuid().ToString("N");

        using var start = await http.PostAsync($"AwaitApproval/start?instanceID={id}", "\"order-6\"");
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        await http.WaitForStatusAsync(id, "RUNNING");
        (await http.PostAsync($"{id}/raiseEvent/approval", "\"cy\"")).Dispose();
        await http.WaitForStatusAsync(id, "COMPLETED");
    }

    [Fact]
    public async Task UnknownInstance_AnswersDaprdsErrors()
    {
        await using var harness = await WorkflowHarness.StartAsync(ManagementWorkflows.Register);
        using var http = new WorkflowHttpClient(harness.Sidecar.Options.HttpPort);
        const string id = "no-such-instance";

        await AssertDaprErrorAsync(await http.GetAsync(id), HttpStatusCode.NotFound, "ERR_INSTANCE_ID_NOT_FOUND");
        await AssertDaprErrorAsync(await http.PostAsync($"{id}/terminate"), HttpStatusCode.NotFound, "ERR_INSTANCE_ID_NOT_FOUND");
        await AssertDaprErrorAsync(await http.PostAsync($"{id}/purge"), HttpStatusCode.NotFound, "ERR_INSTANCE_ID_NOT_FOUND");
        // daprd reports these as failures of the operation, not as "not found".
        await AssertDaprErrorAsync(await http.PostAsync($"{id}/pause"), HttpStatusCode.InternalServerError, "ERR_PAUSE_WORKFLOW");
        await AssertDaprErrorAsync(await http.PostAsync($"{id}/resume"), HttpStatusCode.InternalServerError, "ERR_RESUME_WORKFLOW");
        await AssertDaprErrorAsync(await http.PostAsync($"{id}/raiseEvent/approval", "\"x\""), HttpStatusCode.InternalServerError, "ERR_RAISE_EVENT_WORKFLOW");
    }

    [Fact]
    public async Task Start_WithABadInstanceId_IsRefused()
    {
        await using var harness = await WorkflowHarness.StartAsync(ManagementWorkflows.Register);
        using var http = new WorkflowHttpClient(harness.Sidecar.Options.HttpPort);

        await AssertDaprErrorAsync(
            await http.PostAsync("AwaitApproval/start?instanceID=has.dot", "\"x\""), HttpStatusCode.BadRequest, "ERR_INSTANCE_ID_INVALID");
        await AssertDaprErrorAsync(
            await http.PostAsync($"AwaitApproval/start?instanceID={new string('a', 65)}", "\"x\""), HttpStatusCode.BadRequest, "ERR_INSTANCE_ID_TOO_LONG");
    }

    [Fact]
    public async Task Start_OfAnInstanceThatIsStillRunning_FailsWithDaprdsStartError()
    {
        await using var harness = await WorkflowHarness.StartAsync(ManagementWorkflows.Register);
        using var http = new WorkflowHttpClient(harness.Sidecar.Options.HttpPort);
        var id = "dup-" + Guid.NewGuid().ToString("N");
        (await http.PostAsync($"AwaitApproval/start?instanceID={id}", "\"x\"")).Dispose();

        await AssertDaprErrorAsync(
            await http.PostAsync($"AwaitApproval/start?instanceID={id}", "\"x\""), HttpStatusCode.InternalServerError, "ERR_START_WORKFLOW");
    }

    private static async Task AssertDaprErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
            using var json = JsonDocument.Parse(body);
            Assert.Equal(errorCode, json.RootElement.GetProperty("errorCode").GetString());
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("message").GetString()));
        }
    }
}

using Sidecar.Tests.Infrastructure;

namespace Sidecar.Tests.JsSdk;

/// <summary>
/// The JS SDK's workflows against the local sidecar: its <c>WorkflowRuntime</c> as the worker and its
/// <c>DaprWorkflowClient</c> (durabletask gRPC, <c>tests/js-sdk/workflow.js</c>), and <c>DaprClient.workflow</c>, which
/// calls daprd's <c>/v1.0-beta1/workflows</c> HTTP API (<c>workflow-http.js</c>; the SDK has no gRPC version of it).
/// </summary>
public sealed class JsSdkWorkflowTests
{
    [Fact]
    public async Task DaprWorkflowClient_SchedulesRaisesTerminatesAndPurges_WithAJsWorker()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("js-workflow", resources.Path);

        var r = await NodeScript.RunAsync("workflow.js", "grpc", JsSdkEnvironment.For(sidecar));

        var id = r.Text("schedule");
        Assert.StartsWith("js-approve-", id);
        Assert.Equal("RUNNING", r.Value("started").GetProperty("status").GetString());
        Assert.Equal("\"order-7\"", r.Value("started").GetProperty("input").GetString());
        // The JS worker answers without a completion token; daprd takes that as the current turn's answer.
        Assert.Equal("waiting for approval", r.Value("waiting").GetProperty("customStatus").GetString());
        r.Value("raiseEvent");
        var completed = r.Value("completed");
        Assert.Equal("COMPLETED", completed.GetProperty("status").GetString());
        Assert.Equal("\"hello order-7, approved by dee\"", completed.GetProperty("output").GetString());
        Assert.True(r.Value("purge").GetBoolean());
        Assert.Equal("null", r.Json("afterPurge"));

        r.Value("suspend");
        Assert.Equal("SUSPENDED", r.Text("suspended"));
        r.Value("resume");
        Assert.Equal("RUNNING", r.Text("resumed"));
        r.Value("terminate");
        var terminated = r.Value("terminated");
        Assert.Equal("TERMINATED", terminated.GetProperty("status").GetString());
        Assert.Equal("\"stopped by test\"", terminated.GetProperty("output").GetString());
        Assert.True(r.Value("purgeTerminated").GetBoolean());
        Assert.Equal("null", r.Json("getUnknown"));
    }

    [Fact]
    public async Task DaprClientWorkflow_OverHttp_StartsPausesResumesRaisesTerminatesAndPurges()
    {
        using var resources = ResourcesFolder.InMemory();
        await using var sidecar = await TestSidecar.StartAsync("js-workflow-http", resources.Path);

        var r = await NodeScript.RunAsync("workflow-http.js", "http", JsSdkEnvironment.For(sidecar));

        var id = r.Text("start");
        var running = r.Value("running");
        Assert.Equal(id, running.GetProperty("instanceID").GetString());
        Assert.Equal("approval", running.GetProperty("workflowName").GetString());
        Assert.Equal("""{"id":"order-9"}""", running.GetProperty("properties").GetProperty("dapr.workflow.input").GetString());
        r.Value("pause");
        Assert.Equal("SUSPENDED", r.Value("suspended").GetProperty("runtimeStatus").GetString());
        r.Value("resume");
        Assert.Equal("RUNNING", r.Value("resumed").GetProperty("runtimeStatus").GetString());
        r.Value("raiseEvent");
        var completed = r.Value("completed");
        Assert.Equal("COMPLETED", completed.GetProperty("runtimeStatus").GetString());
        Assert.Equal("\"order-9 approved by dee\"", completed.GetProperty("properties").GetProperty("dapr.workflow.output").GetString());
        r.Value("purge");
        // daprd's HTTP API answers an unknown (purged) instance 404 ERR_INSTANCE_ID_NOT_FOUND.
        Assert.Contains("ERR_INSTANCE_ID_NOT_FOUND", r.Error("afterPurge"));

        Assert.Equal("RUNNING", r.Value("runningToTerminate").GetProperty("runtimeStatus").GetString());
        r.Value("terminate");
        Assert.Equal("TERMINATED", r.Value("terminated").GetProperty("runtimeStatus").GetString());
    }
}

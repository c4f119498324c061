// Workflow throughput and latency of the local sidecar, measured with the real Dapr.Workflow SDK (worker hosted here)
// against the sidecar running as a separate process, whose resident memory is read from /proc:
//   dotnet build sidecar -c Release
//   dotnet run -c Release --project bench/WorkflowBench -- [--workflows 2000] [--concurrency 100] [--mode chained|parallel|memory|all]
using Dapr.Workflow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkflowBench;

if (BenchOptions.Parse(args) is not { } options)
{
    return 2;
}

await using var sidecar = await SidecarProcess.StartAsync(options.SidecarDll);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["DAPR_GRPC_ENDPOINT"] = $"http://127.0.0.1:{sidecar.GrpcPort}",
});
builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
builder.Services.AddDaprWorkflow(BenchWorkflows.Register);
using var worker = builder.Build();
await worker.StartAsync();

var load = new WorkflowLoad(worker.Services.GetRequiredService<DaprWorkflowClient>(), options.Concurrency);
var report = new BenchReport(sidecar, options);
report.Header();

// Warm-up: JIT, connection pools and SQLite pages on both sides before anything is measured.
await load.RunAsync(BenchWorkflows.Chained, 200);
await load.RunAsync(BenchWorkflows.Parallel, 200);
report.Memory("after warm-up (400 workflows)");

if (options.Mode is "chained" or "all")
{
    report.Result("chained (5 activities)", await load.RunAsync(BenchWorkflows.Chained, options.Workflows), BenchReport.DaprChained);
}

if (options.Mode is "parallel" or "all")
{
    report.Result("parallel (5 activities)", await load.RunAsync(BenchWorkflows.Parallel, options.Workflows), BenchReport.DaprParallel);
}

if (options.Mode is "memory" or "all")
{
    // Memory must plateau: finished workflows leave the sidecar's memory.
    var completed = 0;
    foreach (var checkpoint in new[] { 1_000, 5_000, 10_000 })
    {
        var result = await load.RunAsync(BenchWorkflows.Chained, checkpoint - completed);
        completed = checkpoint;
        report.Memory($"after {checkpoint,6:N0} completed chained workflows of the memory run (last {result.Workflows:N0}: {result.PerSecond:F0} wf/s, {result.Failures} failed)");
    }
}

await worker.StopAsync();
return 0;

namespace WorkflowBench;

/// <summary>Prints the figures, with Dapr's published ones beside them.</summary>
internal sealed class BenchReport(SidecarProcess sidecar, BenchOptions options)
{
    // Dapr 1.17 perf suite, Kubernetes (see docs/dapr-sidecar-contract.md).
    public const double DaprChained = 57;
    public const double DaprParallel = 98;

    public void Header()
    {
        Console.WriteLine($"local sidecar pid {sidecar.Pid} (separate process, state.sqlite actor state store); Dapr.Workflow 1.18.7 worker in this process");
        Console.WriteLine($"{options.Concurrency} concurrent starters, each: start, wait for completion, repeat; {Environment.ProcessorCount} cores");
        Console.WriteLine();
    }

    public void Result(string shape, LoadResult result, double daprPerSecond) =>
        Console.WriteLine(
            $"{shape,-24} {result.Workflows,6} workflows {result.Failures,3} failed {result.PerSecond,8:F1} wf/s   " +
            $"p50 {result.P50,7:F0} ms   p95 {result.P95,7:F0} ms   | Dapr (Kubernetes): ~{daprPerSecond:F0} wf/s");

    public void Memory(string when) => Console.WriteLine($"sidecar VmRSS {sidecar.ResidentMegabytes(),6:F1} MB  {when}");
}

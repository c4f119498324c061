using System.Diagnostics;
using Dapr.Workflow;

namespace WorkflowBench;

/// <summary>Runs workflows to completion with a fixed number of concurrent starters, timing each from start to completion.</summary>
internal sealed class WorkflowLoad(DaprWorkflowClient client, int concurrency)
{
    private int _sequence;

    /// <summary>Starts <paramref name="count"/> workflows of <paramref name="name"/>, each starter awaiting completion before its next start.</summary>
    public async Task<LoadResult> RunAsync(string name, int count)
    {
        var next = -1;
        var latencies = new double[count];
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) is var i && i < count)
            {
                var id = $"{name}-{Interlocked.Increment(ref _sequence)}-{Guid.NewGuid():N}";
                var started = Stopwatch.GetTimestamp();
                await client.ScheduleNewWorkflowAsync(name, id, i);
                var state = await client.WaitForWorkflowCompletionAsync(id, getInputsAndOutputs: false);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (state.RuntimeStatus != WorkflowRuntimeStatus.Completed)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        clock.Stop();
        Array.Sort(latencies);
        return new LoadResult(name, count, failures, count / clock.Elapsed.TotalSeconds, Percentile(latencies, 0.50), Percentile(latencies, 0.95));
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}

/// <summary>Figures of one run.</summary>
internal sealed record LoadResult(string Name, int Workflows, int Failures, double PerSecond, double P50, double P95);

using System.Diagnostics;
using Bench.Shared;

namespace DaprPerf;

/// <summary><c>--multi-app</c>: invocations at the given rate spread over the runner's four sidecars, then its memory.</summary>
internal static class MultiAppMemory
{
    public static async Task<int> RunAsync(int qps, int connections, TimeSpan duration, IReadOnlyDictionary<string, string> environment)
    {
        var clock = Stopwatch.StartNew();
        await using var run = await MultiAppRun.StartAsync(environment);
        var started = clock.Elapsed;
        var idle = run.Runner.ResidentMegabytes();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { Timeout = TimeSpan.FromSeconds(10) };
        var payload = new byte[1024];
        var targets = MultiAppRun.AppIds.Zip(run.HttpPorts, (id, port) => new Uri($"http://127.0.0.1:{port}/v1.0/invoke/{id}/method/echo")).ToArray();
        var latencies = await OpenLoop.RunAsync(qps, connections, duration, async (i, _) =>
        {
            using var content = new ByteArrayContent(payload);
            using var response = await http.PostAsync(targets[i % targets.Length], content);
            await response.Content.LoadIntoBufferAsync();
            return response.IsSuccessStatusCode;
        });
        var loaded = run.Runner.ResidentMegabytes();
        Console.WriteLine($"multi-app run (runner process, {targets.Length} sidecars, --embedded, repository components): " +
            $"{latencies.Count} invocations at {qps} QPS over {connections} connections, {latencies.Errors} errors, p50 {latencies.Percentile(0.5):F2} ms, p99 {latencies.Percentile(0.99):F2} ms");
        Console.WriteLine($"runner RSS idle {idle:F0} MB, after the load {loaded:F0} MB: {loaded / targets.Length:F0} MB per sidecar; all apps up after {started.TotalSeconds:F1} s");
        Console.WriteLine($"runner memory: {run.Runner.MemoryBreakdown()}");
        if (environment.Count > 0)
        {
            Console.WriteLine($"runner environment: {string.Join(", ", environment.Select(e => $"{e.Key}={e.Value}"))}");
        }

        return latencies.Errors == 0 ? 0 : 1;
    }
}

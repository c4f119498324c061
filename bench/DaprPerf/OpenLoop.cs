using System.Diagnostics;
using Bench.Shared;

namespace DaprPerf;

/// <summary>
/// Dapr's perf-suite load shape: <c>connections</c> workers share a fixed total rate, each sending on its own schedule
/// (open loop). Latency counts from the scheduled start, so a stall shows up in the percentiles instead of quietly
/// lowering the rate.
/// </summary>
internal static class OpenLoop
{
    /// <summary>Runs <paramref name="send"/> (given the sequence number and its scheduled timestamp) at <paramref name="qps"/> for <paramref name="duration"/>.</summary>
    public static async Task<Latencies> RunAsync(int qps, int connections, TimeSpan duration, Func<long, long, Task<bool>> send)
    {
        var latencies = new Latencies();
        var total = (long)(qps * duration.TotalSeconds);
        var interval = Stopwatch.Frequency / (double)qps;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            // Worker w sends requests w, w + connections, ...: together an even schedule at the total rate.
            for (long i = worker; i < total; i += connections)
            {
                var scheduled = start + (long)(i * interval);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                bool ok;
                try
                {
                    ok = await send(i, scheduled);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Grpc.Core.RpcException)
                {
                    ok = false;
                }

                latencies.Record(Stopwatch.GetElapsedTime(scheduled), ok);
            }
        }));
        await Task.WhenAll(workers);
        return latencies;
    }
}

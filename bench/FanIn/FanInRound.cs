using System.Diagnostics;
using System.Net.Http.Json;
using Bench.Shared;

namespace FanIn;

/// <summary>One burst: <c>requests</c> POST /payments sent at once, each a new order, and how long they took.</summary>
internal sealed record FanInRound(string Path, int Requests, TimeSpan Wall, Latencies Latencies, TimeSpan Io)
{
    /// <summary>CPU time per request of the sidecar, the app and this load generator: what a burst costs the machine.</summary>
    public (double Sidecar, double App, double Client) CpuMsPerRequest { get; set; }

    /// <summary>Wall time over the I/O one request awaits: 1.0 would mean the burst cost nothing but its own waiting.</summary>
    public double Ratio => Wall / Io;

    public static async Task<FanInRound> RunAsync(HttpClient client, string path, Uri baseUri, int requests, string orderPrefix, TimeSpan io)
    {
        var latencies = new Latencies();
        var clock = Stopwatch.StartNew();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, requests).Select(async i =>
        {
            await start.Task;
            var sent = clock.Elapsed;
            var ok = false;
            try
            {
                using var response = await client.PostAsJsonAsync(new Uri(baseUri, "payments"),
                    new { orderId = $"{orderPrefix}-{i}", customerId = "bench-customer", amount = 10m });
                ok = response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            latencies.Record(clock.Elapsed - sent, ok);
        }).ToList();
        clock.Restart();
        start.SetResult();
        await Task.WhenAll(calls);
        return new FanInRound(path, requests, clock.Elapsed, latencies, io);
    }

    public override string ToString() =>
        $"| {Path} | {Requests} | {Wall.TotalSeconds:F2} s | {Latencies.Percentile(0.5) / 1000:F2} s | {Latencies.Percentile(0.99) / 1000:F2} s " +
        $"| {Latencies.Max / 1000:F2} s | {Latencies.Errors} | {Ratio:F2} | {CpuMsPerRequest.Sidecar:F2} / {CpuMsPerRequest.App:F2} / {CpuMsPerRequest.Client:F2} |";
}

// Async against blocking, same handler, same load, one run: 125 connections each sending requests back to back to a
// handler that waits 500 ms for I/O, written with await, with .Result and with Thread.Sleep; each in a fresh app process.
//   dotnet run -c Release --project bench/AsyncVsBlocking -- [--connections 125] [--duration 15]
using System.Diagnostics;
using System.Globalization;
using AsyncVsBlocking;
using Bench.Shared;

if (args is ["--serve", var portText])
{
    await ChargeApp.RunAsync(int.Parse(portText, CultureInfo.InvariantCulture));
    return 0;
}

Options options;
try
{
    options = new Options(args, "connections", "duration");
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var connections = options.Int("connections", 125);
var duration = TimeSpan.FromSeconds(options.Int("duration", 15));
var self = Path.Combine(AppContext.BaseDirectory, "AsyncVsBlocking.dll");

Console.WriteLine($"{connections} connections, back to back, {duration.TotalSeconds:F0} s per handler; each request waits {ChargeApp.Io.TotalMilliseconds:F0} ms of I/O");
Console.WriteLine();
Console.WriteLine("| handler | requests | req/s | mean | p50 | p99 | max | errors | pool threads at 1 s / 5 s / end |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
var timelines = new List<string>();
foreach (var (mode, label) in new[] { ("async", "await"), ("result", ".Result (sync over async)"), ("sleep", "Thread.Sleep (blocking)") })
{
    var port = ChildProcess.FreePort();
    var samples = new List<(TimeSpan At, int Threads)>();
    var clock = new Stopwatch();
    await using var app = ChildProcess.Start(mode, self, ["--serve", port.ToString(CultureInfo.InvariantCulture)], onLine: line =>
    {
        var parts = line.Split(' ');
        if (clock.IsRunning && parts is ["threads", var count, ..])
        {
            lock (samples)
            {
                samples.Add((clock.Elapsed, int.Parse(count, CultureInfo.InvariantCulture)));
            }
        }
    });
    await app.WaitUntilAnswersAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { Timeout = TimeSpan.FromSeconds(60) };
    var url = new Uri($"http://127.0.0.1:{port}/{mode}");
    var latencies = new Latencies();
    clock.Start();
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
    {
        while (clock.Elapsed < duration)
        {
            var sent = clock.Elapsed;
            var ok = false;
            try
            {
                using var response = await client.GetAsync(url);
                ok = response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            latencies.Record(clock.Elapsed - sent, ok);
        }
    }));
    var elapsed = clock.Elapsed;
    (TimeSpan At, int Threads)[] seen;
    lock (samples)
    {
        seen = [.. samples];
    }

    int ThreadsAt(TimeSpan at) => seen.LastOrDefault(s => s.At <= at, seen.FirstOrDefault()).Threads;
    Console.WriteLine($"| {label} | {latencies.Count} | {latencies.Count / elapsed.TotalSeconds:F0} | {latencies.Mean / 1000:F2} s " +
        $"| {latencies.Percentile(0.5) / 1000:F2} s | {latencies.Percentile(0.99) / 1000:F2} s | {latencies.Max / 1000:F2} s | {latencies.Errors} " +
        $"| {ThreadsAt(TimeSpan.FromSeconds(1))} / {ThreadsAt(TimeSpan.FromSeconds(5))} / {ThreadsAt(elapsed)} |");
    timelines.Add($"{label}: " + string.Join(" ", Enumerable.Range(0, (int)elapsed.TotalSeconds + 1).Select(s => ThreadsAt(TimeSpan.FromSeconds(s)))));
}

Console.WriteLine();
Console.WriteLine("thread-pool threads, one sample per second:");
timelines.ForEach(Console.WriteLine);
Console.WriteLine($"ideal: {connections} connections / {ChargeApp.Io.TotalSeconds:F1} s = {connections / ChargeApp.Io.TotalSeconds:F0} req/s at {ChargeApp.Io.TotalSeconds:F2} s each");
return 0;

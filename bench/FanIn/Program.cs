// Fan-in: N concurrent POST /payments, each awaiting payments' configured processing delay (1 s) plus its state
// reads and writes, straight to the app and through the payments sidecar, in one run:
//   dotnet run -c Release --project bench/FanIn -- [--requests 1000] [--rounds 3]
using Bench.Shared;
using FanIn;

Options options;
try
{
    options = new Options(args, "requests", "rounds", "sidecar-env", "no-config");
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var requests = options.Int("requests", 1000);
var rounds = options.Int("rounds", 3);
var io = TimeSpan.FromSeconds(1); // Payments:ProcessingDelay in services/payments/appsettings.json

// --sidecar-env NAME=VALUE,NAME=VALUE: runtime settings for the sidecar process, to compare e.g. GC modes.
var sidecarEnvironment = (options.String("sidecar-env") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
    .Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "");
await using var stack = await PaymentsStack.StartAsync(sidecarEnvironment, withConfig: !options.Flag("no-config"));
using var client = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = int.MaxValue,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
})
{
    Timeout = TimeSpan.FromSeconds(120),
};

// Warm-up: open the client's (and the sidecar's) connections, so a round measures requests, not connection setup;
// then one uncounted burst per path, so the measured rounds run the JIT's optimized code (the first burst after start
// costs about twice the CPU of later ones).
var run = Guid.NewGuid().ToString("N")[..8];
foreach (var (name, uri) in new[] { ("direct", stack.Direct), ("sidecar", stack.ThroughSidecar) })
{
    await Task.WhenAll(Enumerable.Range(0, requests).Select(_ => client.GetAsync(new Uri(uri, "health/live"))));
    await FanInRound.RunAsync(client, name, uri, requests, $"warm-{name}-{run}", io);
}

Console.WriteLine($"{requests} concurrent POST /payments, each awaiting {io.TotalSeconds:F0} s of processing plus its state calls; {rounds} rounds");
Console.WriteLine();
Console.WriteLine("| path | requests | wall | p50 | p99 | max | errors | wall / I/O | CPU ms per request: sidecar / app / client |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
var results = new List<FanInRound>();
for (var round = 1; round <= rounds; round++)
{
    foreach (var (name, uri) in new[] { ("direct", stack.Direct), ("through the sidecar", stack.ThroughSidecar) })
    {
        var cpuBefore = (stack.Sidecar.CpuTime(), stack.App.CpuTime(), ChildProcess.CpuTimeOf(Environment.ProcessId));
        var result = await FanInRound.RunAsync(client, name, uri, requests, $"r{round}-{name[0]}-{run}", io);
        result.CpuMsPerRequest = (
            (stack.Sidecar.CpuTime() - cpuBefore.Item1).TotalMilliseconds / requests,
            (stack.App.CpuTime() - cpuBefore.Item2).TotalMilliseconds / requests,
            (ChildProcess.CpuTimeOf(Environment.ProcessId) - cpuBefore.Item3).TotalMilliseconds / requests);
        results.Add(result);
        Console.WriteLine(result);
    }
}

Console.WriteLine();
foreach (var group in results.GroupBy(r => r.Path))
{
    var ratios = group.Select(r => r.Ratio).Order().ToArray();
    var walls = group.Select(r => r.Wall.TotalSeconds).Order().ToArray();
    Console.WriteLine($"{group.Key}: median wall {walls[walls.Length / 2]:F2} s, median wall / I/O {ratios[ratios.Length / 2]:F2}, errors {group.Sum(r => r.Latencies.Errors)}");
}

Console.WriteLine($"sidecar RSS {stack.Sidecar.ResidentMegabytes():F0} MB, payments RSS {stack.App.ResidentMegabytes():F0} MB");
return results.Sum(r => r.Latencies.Errors) == 0 ? 0 : 1;

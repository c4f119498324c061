// Compares a URL served directly by an app with the same URL through the Dapr sidecar, in one run, so the figures
// are ratios measured under the same machine load:
//   dotnet run -c Release --project bench/LoadGen -- --direct URL --sidecar URL [--rate 1000] [--seconds 10]
//       [--connections 32] [--sidecar-pid PID]
using System.Globalization;
using LoadGen;

var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "");
string Option(string name, string fallback) => options.TryGetValue(name, out var v) ? v : fallback;
int IntOption(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

if (!options.ContainsKey("direct") || !options.ContainsKey("sidecar"))
{
    Console.Error.WriteLine("usage: LoadGen --direct URL --sidecar URL [--rate 1000] [--seconds 10] [--connections 32] [--sidecar-pid PID]");
    return 2;
}

var direct = new Uri(Option("direct", ""));
var sidecar = new Uri(Option("sidecar", ""));
var rate = IntOption("rate", 1000);
var duration = TimeSpan.FromSeconds(IntOption("seconds", 10));
var connections = IntOption("connections", 32);
int? sidecarPid = options.ContainsKey("sidecar-pid") ? IntOption("sidecar-pid", 0) : null;

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    Timeout = TimeSpan.FromSeconds(10),
};
var runner = new LoadRunner(client);

// Warm both paths (JIT, connection pools) before anything is measured.
await runner.SaturateAsync("warm-up direct", direct, 8, TimeSpan.FromSeconds(2));
await runner.SaturateAsync("warm-up sidecar", sidecar, 8, TimeSpan.FromSeconds(2));

Console.WriteLine($"fixed rate {rate} req/s for {duration.TotalSeconds:F0} s, then saturation with {connections} connections");
var directFixed = await runner.FixedRateAsync("direct   @fixed rate", direct, rate, duration);
Console.WriteLine(directFixed);
var sidecarFixed = await runner.FixedRateAsync("sidecar  @fixed rate", sidecar, rate, duration);
Console.WriteLine(sidecarFixed);
var memoryAtRate = sidecarPid is { } pid1 ? ProcessMemory.ResidentMegabytes(pid1) : null;
var directMax = await runner.SaturateAsync("direct   @saturation", direct, connections, duration);
Console.WriteLine(directMax);
var sidecarMax = await runner.SaturateAsync("sidecar  @saturation", sidecar, connections, duration);
Console.WriteLine(sidecarMax);
var memoryAtSaturation = sidecarPid is { } pid2 ? ProcessMemory.ResidentMegabytes(pid2) : null;

Console.WriteLine();
Console.WriteLine($"added by the sidecar @fixed rate: p50 {sidecarFixed.P50 - directFixed.P50:F2} ms, p90 {sidecarFixed.P90 - directFixed.P90:F2} ms, p99 {sidecarFixed.P99 - directFixed.P99:F2} ms");
Console.WriteLine($"throughput ratio sidecar/direct @saturation: {sidecarMax.RequestsPerSecond / directMax.RequestsPerSecond:F2}");
if (memoryAtRate is not null)
{
    Console.WriteLine($"sidecar process RSS: {memoryAtRate:F0} MB after the fixed-rate run, {memoryAtSaturation:F0} MB after saturation");
}

return directFixed.Errors + sidecarFixed.Errors + directMax.Errors + sidecarMax.Errors == 0 ? 0 : 1;

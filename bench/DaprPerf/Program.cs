// Dapr's perf-suite format against the local sidecar, in one run: open loop at 1000 QPS over 16 connections with a
// 1 KB payload; app -> sidecar -> sidecar -> app invocation beside the same call made to the app directly; state get
// and save over gRPC beside a gRPC call to the app; pub/sub publish-to-delivery; sidecar memory and start time.
//   dotnet run -c Release --project bench/DaprPerf -- [--duration 20] [--qps 1000] [--connections 16]
//       [--sidecar-env DOTNET_gcServer=0,...] [--multi-app]
// --multi-app: the runner's one process for four sidecars instead, loaded with invocations, for its memory per sidecar.
// Dapr's own runs last 60 s per test: --duration 60.
using System.Diagnostics;
using System.Net.Http.Json;
using Bench.Shared;
using DaprPerf;
using Google.Protobuf;
using Grpc.Net.Client;
using DaprClient = Dapr.Client.Autogen.Grpc.v1.Dapr.DaprClient;
using Proto = Dapr.Client.Autogen.Grpc.v1;

if (args is ["--serve-echo"])
{
    await MultiAppRun.ServeEchoAsync();
    return 0;
}

Options options;
try
{
    options = new Options(args, "duration", "qps", "connections", "sidecar-env", "multi-app");
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var duration = TimeSpan.FromSeconds(options.Int("duration", 20));
var qps = options.Int("qps", 1000);
var connections = options.Int("connections", 16);
var environment = (options.String("sidecar-env") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
    .Select(pair => pair.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "");

var payload = new byte[1024];
Random.Shared.NextBytes(payload);
var filler = new string('x', 1000);

if (options.Flag("multi-app"))
{
    return await MultiAppMemory.RunAsync(qps, connections, duration, environment);
}

await using var app = await TargetApp.StartAsync();
await using var sidecars = await Sidecars.StartAsync(app.HttpPort, environment);

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) })
{
    Timeout = TimeSpan.FromSeconds(10),
};
using var appChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{app.GrpcPort}");
using var daprChannel = GrpcChannel.ForAddress($"http://127.0.0.1:{sidecars.Target.GrpcPort}");
// Dapr.Protos generates no client for the app's callback service; a call descriptor is all a client needs.
var onInvoke = new Grpc.Core.Method<Proto.InvokeRequest, Proto.InvokeResponse>(Grpc.Core.MethodType.Unary,
    "dapr.proto.runtime.v1.AppCallback", "OnInvoke",
    Grpc.Core.Marshallers.Create(r => r.ToByteArray(), Proto.InvokeRequest.Parser.ParseFrom),
    Grpc.Core.Marshallers.Create(r => r.ToByteArray(), Proto.InvokeResponse.Parser.ParseFrom));
var appGrpc = appChannel.CreateCallInvoker();
var dapr = new DaprClient(daprChannel);

var direct = new Uri($"http://127.0.0.1:{app.HttpPort}/echo");
var invoke = new Uri($"http://127.0.0.1:{sidecars.Caller.HttpPort}/v1.0/invoke/{sidecars.TargetAppId}/method/echo");
var publish = new Uri($"http://127.0.0.1:{sidecars.Target.HttpPort}/v1.0/publish/perfpubsub/perf");
var value = ByteString.CopyFrom(payload);

async Task<bool> PostAsync(Uri uri)
{
    using var content = new ByteArrayContent(payload);
    using var response = await http.PostAsync(uri, content);
    await response.Content.LoadIntoBufferAsync();
    return response.IsSuccessStatusCode;
}

async Task<bool> GrpcEchoAsync()
{
    var answer = await appGrpc.AsyncUnaryCall(onInvoke, null, new Grpc.Core.CallOptions(),
        new Proto.InvokeRequest { Method = "echo", Data = new Google.Protobuf.WellKnownTypes.Any { Value = value } });
    return answer.Data.Value.Length == payload.Length;
}

async Task<bool> StateGetAsync(string store, long i)
{
    var item = await dapr.GetStateAsync(new Proto.GetStateRequest { StoreName = store, Key = $"key-{i % 100}" });
    return item.Data.Length == payload.Length;
}

async Task<bool> StateSaveAsync(string store, long i)
{
    var request = new Proto.SaveStateRequest { StoreName = store };
    request.States.Add(new Proto.StateItem { Key = $"key-{i % 100}", Value = value });
    await dapr.SaveStateAsync(request);
    return true;
}

// Keys the get tests read, and a warm-up of every path (JIT, connection pools, the name lookup).
foreach (var store in new[] { "perfstate", "perfsqlite" })
{
    for (var i = 0; i < 100; i++)
    {
        await StateSaveAsync(store, i);
    }
}

Console.Error.WriteLine("warming up...");
var warmUp = TimeSpan.FromSeconds(2);
await OpenLoop.RunAsync(qps, connections, warmUp, (_, _) => PostAsync(direct));
await OpenLoop.RunAsync(qps, connections, warmUp, (_, _) => PostAsync(invoke));
await OpenLoop.RunAsync(qps, connections, warmUp, (_, _) => GrpcEchoAsync());
await OpenLoop.RunAsync(qps, connections, warmUp, (i, _) => StateGetAsync("perfstate", i));
await OpenLoop.RunAsync(qps, connections, warmUp, (i, _) => StateSaveAsync("perfsqlite", i));

var rows = new List<(string Name, Latencies Latencies)>();
async Task<Latencies> Measure(string name, Func<long, long, Task<bool>> send)
{
    Console.Error.WriteLine($"{name} ...");
    var latencies = await OpenLoop.RunAsync(qps, connections, duration, send);
    rows.Add((name, latencies));
    return latencies;
}

var directHttp = await Measure("HTTP app, direct", (_, _) => PostAsync(direct));
var invokeHttp = await Measure("HTTP app -> sidecar -> sidecar -> app", (_, _) => PostAsync(invoke));
var rssAfterInvoke = (sidecars.Caller.Process.ResidentMegabytes(), sidecars.Target.Process.ResidentMegabytes());
var directGrpc = await Measure("gRPC app, direct (OnInvoke echo)", (_, _) => GrpcEchoAsync());
var getMemory = await Measure("gRPC state get, state.in-memory", (i, _) => StateGetAsync("perfstate", i));
var saveMemory = await Measure("gRPC state save, state.in-memory", (i, _) => StateSaveAsync("perfstate", i));
var getSqlite = await Measure("gRPC state get, state.sqlite", (i, _) => StateGetAsync("perfsqlite", i));
var saveSqlite = await Measure("gRPC state save, state.sqlite", (i, _) => StateSaveAsync("perfsqlite", i));

// Pub/sub: the publish is sent on schedule; its latency is from the scheduled start to the delivery at the app.
var scheduledAt = new long[(long)(qps * duration.TotalSeconds) + connections];
Console.Error.WriteLine("pub/sub ...");
var published = await OpenLoop.RunAsync(qps, connections, duration, async (i, scheduled) =>
{
    scheduledAt[i] = scheduled;
    using var response = await http.PostAsJsonAsync(publish, new TargetApp.PerfMessage(i, filler));
    return response.IsSuccessStatusCode;
});
var drain = Stopwatch.StartNew();
while (app.Deliveries.Count < published.Count && drain.Elapsed < TimeSpan.FromSeconds(10))
{
    await Task.Delay(50);
}

var delivered = new Latencies();
for (long i = 0; i < published.Count; i++)
{
    var arrived = app.Deliveries.TryGet(i, out var at);
    delivered.Record(arrived ? Stopwatch.GetElapsedTime(scheduledAt[i], at) : drain.Elapsed, arrived);
}

rows.Add(("pub/sub publish to delivery, pubsub.in-memory", delivered));
var rssAfterAll = (sidecars.Caller.Process.ResidentMegabytes(), sidecars.Target.Process.ResidentMegabytes());

Console.WriteLine();
Console.WriteLine($"open loop, {qps} QPS, {connections} connections, 1 KB payload, {duration.TotalSeconds:F0} s per test; latency from the scheduled start");
Console.WriteLine();
Console.WriteLine("| test | requests | errors | p50 | p90 | p99 | p99.9 |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
foreach (var (name, l) in rows)
{
    Console.WriteLine($"| {name} | {l.Count} | {l.Errors} | {l.Percentile(0.5):F2} ms | {l.Percentile(0.9):F2} ms | {l.Percentile(0.99):F2} ms | {l.Percentile(0.999):F2} ms |");
}

string Added(Latencies with, Latencies without) =>
    $"p50 {with.Percentile(0.5) - without.Percentile(0.5):+0.00;-0.00} ms, p90 {with.Percentile(0.9) - without.Percentile(0.9):+0.00;-0.00} ms, p99 {with.Percentile(0.99) - without.Percentile(0.99):+0.00;-0.00} ms";
Console.WriteLine();
Console.WriteLine($"added by the two sidecars (invocation over direct HTTP): {Added(invokeHttp, directHttp)}");
Console.WriteLine($"state get over a gRPC call to the app: in-memory {Added(getMemory, directGrpc)}; sqlite {Added(getSqlite, directGrpc)}");
Console.WriteLine($"state save over a gRPC call to the app: in-memory {Added(saveMemory, directGrpc)}; sqlite {Added(saveSqlite, directGrpc)}");
Console.WriteLine($"sidecar RSS after the invocation test: caller {rssAfterInvoke.Item1:F0} MB, target {rssAfterInvoke.Item2:F0} MB; after all tests: caller {rssAfterAll.Item1:F0} MB, target {rssAfterAll.Item2:F0} MB");
Console.WriteLine($"target sidecar memory: {sidecars.Target.Process.MemoryBreakdown()}");
Console.WriteLine($"sidecar start (process start to /v1.0/healthz answering): caller {sidecars.StartTimes.Caller.TotalMilliseconds:F0} ms, target {sidecars.StartTimes.Target.TotalMilliseconds:F0} ms");
if (environment.Count > 0)
{
    Console.WriteLine($"sidecar environment: {string.Join(", ", environment.Select(e => $"{e.Key}={e.Value}"))}");
}

return rows.Sum(r => r.Latencies.Errors) == 0 ? 0 : 1;

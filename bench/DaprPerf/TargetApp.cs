using System.Diagnostics;
using Bench.Shared;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Proto = Dapr.Client.Autogen.Grpc.v1;

namespace DaprPerf;

/// <summary>
/// The app the sidecars call, hosted in this process: <c>POST /echo</c> answers its body (as Dapr's perf tester app
/// does), a gRPC <c>OnInvoke</c> echo for the gRPC baseline, and the <c>perf</c> topic subscription whose deliveries
/// are timed against the moment each message was scheduled to be published.
/// </summary>
internal sealed class TargetApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TargetApp(WebApplication app, int httpPort, int grpcPort)
    {
        _app = app;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
    }

    public int HttpPort { get; }

    public int GrpcPort { get; }

    /// <summary>Where deliveries are recorded, keyed by the message's sequence number.</summary>
    public Deliveries Deliveries { get; } = new();

    public static async Task<TargetApp> StartAsync()
    {
        var (httpPort, grpcPort) = (ChildProcess.FreePort(), ChildProcess.FreePort());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(System.Net.IPAddress.Loopback, httpPort, o => o.Protocols = HttpProtocols.Http1);
            k.Listen(System.Net.IPAddress.Loopback, grpcPort, o => o.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        var target = new TargetApp(app, httpPort, grpcPort);
        app.MapPost("/echo", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Request.Body.CopyToAsync(context.Response.Body);
        });
        app.MapGet("/healthz", () => Results.Ok());
        app.MapGet("/dapr/subscribe", () => Results.Json(new[] { new { pubsubname = "perfpubsub", topic = "perf", route = "/deliver" } }));
        app.MapPost("/deliver", (PerfEvent envelope) =>
        {
            target.Deliveries.Delivered(envelope.Data.Sequence, Stopwatch.GetTimestamp());
            return Results.Ok();
        });
        app.MapGrpcService<EchoCallback>();
        await app.StartAsync();
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The CloudEvent the sidecar delivers; only the sequence number of its data matters here.</summary>
    internal sealed record PerfEvent(PerfMessage Data);

    /// <summary>A published message: its sequence number and 1 KB of filler.</summary>
    internal sealed record PerfMessage(long Sequence, string Filler);

    /// <summary>gRPC baseline: the app's own callback service answering the payload back.</summary>
    private sealed class EchoCallback : AppCallback.AppCallbackBase
    {
        public override Task<Proto.InvokeResponse> OnInvoke(Proto.InvokeRequest request, ServerCallContext context) =>
            Task.FromResult(new Proto.InvokeResponse { Data = request.Data, ContentType = request.ContentType });
    }
}

/// <summary>When each published message arrived (Stopwatch timestamps).</summary>
internal sealed class Deliveries
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _arrived = new();

    public int Count => _arrived.Count;

    public void Delivered(long sequence, long timestamp) => _arrived.TryAdd(sequence, timestamp);

    public bool TryGet(long sequence, out long timestamp) => _arrived.TryGetValue(sequence, out timestamp);

    public void Clear() => _arrived.Clear();
}

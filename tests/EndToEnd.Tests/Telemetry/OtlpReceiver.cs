using System.Collections.Concurrent;
using Convert = System.Convert;
using EndToEnd.Tests.Telemetry.Otlp;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using LogsProto = EndToEnd.Tests.Telemetry.Otlp.Logs;
using MetricsProto = EndToEnd.Tests.Telemetry.Otlp.Metrics;

namespace EndToEnd.Tests.Telemetry;

/// <summary>One span as received: ids in lowercase hex, the service that sent it, its string attributes.</summary>
public sealed record ReceivedSpan(
    string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, string Service, string Scope,
    IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>True for spans a sidecar recorded (its ActivitySource is <c>dapr-local.&lt;app&gt;</c>), false for an app's.</summary>
    public bool FromSidecar => Scope.StartsWith("dapr-local.", StringComparison.Ordinal);
}

/// <summary>
/// An OTLP/gRPC receiver on a free loopback port (cleartext HTTP/2, as the .NET exporter's default <c>grpc</c> protocol
/// speaks to a collector): it keeps every span it is sent and the names of the services that sent metrics and logs.
/// gRPC rather than OTLP/HTTP because it is what apps get from <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> alone, and what
/// the dashboard's 4317 speaks; the messages come from a trimmed copy of opentelemetry-proto compiled by Grpc.Tools.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, int port)
    {
        _app = app;
        Endpoint = $"http://127.0.0.1:{port}";
    }

    public string Endpoint { get; }

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    public ConcurrentDictionary<string, int> MetricsFrom { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> LogsFrom { get; } = new(StringComparer.Ordinal);

    public static async Task<OtlpReceiver> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 64 * 1024 * 1024);
        var holder = new Holder();
        builder.Services.AddSingleton(holder);
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, port);
        holder.Receiver = receiver;
        app.MapGrpcService<Traces>();
        app.MapGrpcService<Metrics>();
        app.MapGrpcService<Logs>();
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static string Hex(Google.Protobuf.ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private static string ServiceOf(Resource? resource) =>
        resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue ?? "";

    private void Add(ExportTraceServiceRequest request)
    {
        foreach (var resource in request.ResourceSpans)
        {
            var service = ServiceOf(resource.Resource);
            foreach (var (scope, span) in resource.ScopeSpans.SelectMany(s => s.Spans.Select(span => (s.Scope?.Name ?? "", span))))
            {
                var attributes = span.Attributes
                    .Where(a => a.Value is not null)
                    .GroupBy(a => a.Key)
                    .ToDictionary(g => g.Key, g => g.First().Value.ValueCase switch
                    {
                        AnyValue.ValueOneofCase.StringValue => g.First().Value.StringValue,
                        AnyValue.ValueOneofCase.IntValue => g.First().Value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        AnyValue.ValueOneofCase.BoolValue => g.First().Value.BoolValue ? "true" : "false",
                        _ => "",
                    });
                Spans.Enqueue(new ReceivedSpan(Hex(span.TraceId), Hex(span.SpanId), Hex(span.ParentSpanId), span.Name, span.Kind, service, scope, attributes));
            }
        }
    }

    private sealed class Holder
    {
        public OtlpReceiver Receiver { get; set; } = null!;
    }

    private sealed class Traces(Holder holder) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            holder.Receiver.Add(request);
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }

    private sealed class Metrics(Holder holder) : MetricsProto.MetricsService.MetricsServiceBase
    {
        public override Task<MetricsProto.ExportMetricsServiceResponse> Export(MetricsProto.ExportMetricsServiceRequest request, ServerCallContext context)
        {
            foreach (var resource in request.ResourceMetrics)
            {
                holder.Receiver.MetricsFrom.AddOrUpdate(ServiceOf(resource.Resource), 1, (_, n) => n + 1);
            }

            return Task.FromResult(new MetricsProto.ExportMetricsServiceResponse());
        }
    }

    private sealed class Logs(Holder holder) : LogsProto.LogsService.LogsServiceBase
    {
        public override Task<LogsProto.ExportLogsServiceResponse> Export(LogsProto.ExportLogsServiceRequest request, ServerCallContext context)
        {
            foreach (var resource in request.ResourceLogs)
            {
                holder.Receiver.LogsFrom.AddOrUpdate(ServiceOf(resource.Resource), 1, (_, n) => n + 1);
            }

            return Task.FromResult(new LogsProto.ExportLogsServiceResponse());
        }
    }
}

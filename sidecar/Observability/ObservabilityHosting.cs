using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Sidecar.Components;
using Sidecar.Hosting;

namespace Sidecar.Observability;

/// <summary>
/// Wires one sidecar's observability: spans per its Configuration's <c>spec.tracing</c> (or the runner's OTLP endpoint),
/// daprd's metrics on <c>--metrics-port</c> at <c>/metrics</c> in Prometheus text, and, when an OTLP endpoint is given,
/// its metrics and logs pushed there too. The service name is the app id, as daprd reports it.
/// </summary>
internal static class ObservabilityHosting
{
    private const string MetricsPath = "/metrics";

    /// <summary>
    /// The options this sidecar can honour: daprd's default metrics port is dropped (with <paramref name="notice"/>) when
    /// another process holds it; a port asked for is kept, and a taken one then fails the start when Kestrel binds.
    /// </summary>
    public static SidecarOptions ResolveMetricsPort(SidecarOptions options, out string? notice)
    {
        notice = null;
        var observability = options.Observability;
        if (observability is { MetricsPort: { } port, MetricsPortIsDefault: true } && !IsFree(options.ListenAddress, port))
        {
            notice = $"metrics port {port} (the default) is taken; serving no metrics (set --metrics-port to choose one)";
            return options with { Observability = observability with { MetricsPort = null } };
        }

        return options;
    }

    public static WebApplicationBuilder AddSidecarObservability(
        this WebApplicationBuilder builder, SidecarOptions options, ResourceSet resources)
    {
        var services = builder.Services;
        services.TryAddSingleton<SidecarTelemetry>();
        services.TryAddSingleton<WorkflowTelemetry>();
        services.AddGrpc(o => o.Interceptors.Add<GrpcApiTelemetry>());

        var export = options.Observability;
        var tracing = Effective(TracingConfiguration.Read(resources, options), export);
        var name = SidecarTelemetry.NamePrefix + options.AppId;
        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService(options.AppId));

        if (tracing.Enabled)
        {
            telemetry.WithTracing(b =>
            {
                b.AddSource(name).SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(tracing.SamplingRate)));
                if (tracing.OtelUri is { } otlp)
                {
                    b.AddOtlpExporter(o => Configure(o, otlp, tracing.OtelProtocol == "grpc", "traces"));
                }

                if (tracing.ZipkinEndpoint is { } zipkin)
                {
                    // Obsolete upstream in favour of OTLP, but Dapr's Configuration still offers zipkin, and `dapr init` runs one.
#pragma warning disable CS0618
                    b.AddZipkinExporter(o => o.Endpoint = new Uri(zipkin));
#pragma warning restore CS0618
                }
            });
        }

        if (export.MetricsPort is not null || export.OtlpEndpoint is not null)
        {
            telemetry.WithMetrics(b =>
            {
                b.AddMeter(name);
                if (export.MetricsPort is not null)
                {
                    // daprd's counters carry no _total suffix, and a scrape sees the counts of that moment (no cached answer).
                    b.AddPrometheusExporter(o =>
                    {
                        o.DisableTotalNameSuffixForCounters = true;
                        o.ScrapeResponseCacheDurationMilliseconds = 0;
                    });
                }

                if (export.OtlpEndpoint is { } otlp)
                {
                    b.AddOtlpExporter(o => Configure(o, otlp, IsGrpc(export.OtlpProtocol), "metrics"));
                }
            });
        }

        if (export.OtlpEndpoint is { } logs)
        {
            telemetry.WithLogging(b => b.AddOtlpExporter(o => Configure(o, logs, IsGrpc(export.OtlpProtocol), "logs")),
                o => o.IncludeFormattedMessage = true);
        }

        if (export.MetricsPort is { } port)
        {
            builder.WebHost.ConfigureKestrel(kestrel =>
                kestrel.Listen(IPAddress.Parse(options.ListenAddress), port, o => o.Protocols = HttpProtocols.Http1));
        }

        return builder;
    }

    /// <summary>Traces and counts the HTTP API (before routing by header), and serves <c>/metrics</c> on the metrics port only.</summary>
    public static WebApplication UseSidecarObservability(this WebApplication app, SidecarOptions options)
    {
        app.UseMiddleware<HttpApiTelemetry>();
        if (options.Observability.MetricsPort is { } port)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).RequireHost($"*:{port}");
        }

        return app;
    }

    /// <summary>The runner's OTLP endpoint replaces the Configuration's exporters; its sampling rate stays if it has one.</summary>
    private static TracingSettings Effective(TracingSettings configured, ObservabilityOptions export) =>
        export.OtlpEndpoint is not { } endpoint ? configured : configured with
        {
            SamplingRate = configured.SamplingRate > 0 ? configured.SamplingRate : 1,
            OtelEndpoint = endpoint.ToString(),
            OtelIsSecure = endpoint.Scheme == Uri.UriSchemeHttps,
            OtelProtocol = IsGrpc(export.OtlpProtocol) ? "grpc" : "http",
            ZipkinEndpoint = null,
        };

    private static bool IsGrpc(string protocol) => protocol.Equals("grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>OTLP/HTTP takes a path per signal (as daprd's exporter adds <c>/v1/traces</c>); gRPC takes the bare endpoint.</summary>
    private static void Configure(OtlpExporterOptions o, Uri endpoint, bool grpc, string signal)
    {
        o.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        o.Endpoint = grpc || endpoint.AbsolutePath.Length > 1 ? endpoint : new Uri(endpoint, $"/v1/{signal}");
    }

    private static bool IsFree(string address, int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Parse(address), port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

namespace Sidecar.Observability;

/// <summary>
/// A Dapr <c>Configuration</c>'s <c>spec.tracing</c>, as daprd reads it: the sampling rate and where spans go (OTLP over
/// http or grpc, or Zipkin). A rate of 0, or no exporter, means no span is recorded; trace context is still carried.
/// </summary>
public sealed record TracingSettings
{
    /// <summary>No tracing: what a sidecar without a Configuration (or without <c>spec.tracing</c>) does.</summary>
    public static TracingSettings Off { get; } = new();

    /// <summary><c>samplingRate</c>: 0 records nothing, 1 records every trace.</summary>
    public double SamplingRate { get; init; }

    /// <summary><c>otel.endpointAddress</c>: host:port, or a URL.</summary>
    public string? OtelEndpoint { get; init; }

    /// <summary><c>otel.isSecure</c>: https when true.</summary>
    public bool OtelIsSecure { get; init; }

    /// <summary><c>otel.protocol</c>: <c>http</c> (OTLP/HTTP protobuf) or <c>grpc</c>.</summary>
    public string OtelProtocol { get; init; } = "http";

    /// <summary><c>zipkin.endpointAddress</c>: the full URL of the spans endpoint.</summary>
    public string? ZipkinEndpoint { get; init; }

    /// <summary>True when spans are both sampled and sent somewhere.</summary>
    public bool Enabled => SamplingRate > 0 && (OtelEndpoint is not null || ZipkinEndpoint is not null);

    /// <summary>The OTLP endpoint as a URL (daprd takes <c>host:port</c> and adds the scheme from <c>isSecure</c>).</summary>
    public Uri? OtelUri => OtelEndpoint is null ? null
        : OtelEndpoint.Contains("://", StringComparison.Ordinal) ? new Uri(OtelEndpoint)
        : new Uri($"{(OtelIsSecure ? "https" : "http")}://{OtelEndpoint}");
}

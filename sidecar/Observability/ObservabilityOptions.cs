namespace Sidecar.Observability;

/// <summary>Where this sidecar's metrics are served and where its telemetry is pushed, beyond its Configuration.</summary>
public sealed record ObservabilityOptions
{
    /// <summary>daprd's default <c>--metrics-port</c>.</summary>
    public const int DefaultMetricsPort = 9090;

    /// <summary><c>--metrics-port</c>: the Prometheus endpoint <c>/metrics</c>; null when metrics are off.</summary>
    public int? MetricsPort { get; init; }

    /// <summary>
    /// True when the port is daprd's default rather than one asked for: if another process holds it, the sidecar says
    /// so in one line and runs without the endpoint (a port asked for that is taken stops the start).
    /// </summary>
    public bool MetricsPortIsDefault { get; init; }

    /// <summary>
    /// An OTLP endpoint (the runner's dashboard, or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> passed through) that receives this
    /// sidecar's spans, metrics and logs. It replaces the Configuration's exporters; the sampling rate is kept when set.
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>The OTLP protocol of <see cref="OtlpEndpoint"/>: <c>grpc</c> or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; init; } = "grpc";
}

using System.Diagnostics;

namespace Sidecar.AppChannel;

/// <summary>W3C trace context: the <c>traceparent</c> a call carries on, or a new one when the caller sent none.</summary>
internal static class TraceContext
{
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    /// <summary>
    /// The current sidecar span's context when this sidecar traces (its span is the caller's child), else
    /// <paramref name="traceParent"/> when it is set, else a fresh sampled <c>00-{trace}-{span}-01</c>.
    /// </summary>
    public static string OrNew(string? traceParent) =>
        Observability.SidecarTelemetry.CurrentTraceParent() is { } current ? current
        : string.IsNullOrWhiteSpace(traceParent)
            ? $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01"
            : traceParent;
}

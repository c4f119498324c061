using System.Diagnostics;
using Sidecar.Hosting;

namespace Sidecar.Observability;

/// <summary>
/// Spans and metrics of the Dapr HTTP API, named as daprd names them: a client span per call named by its path
/// (<c>/v1.0/state/statestore</c>), renamed <c>CallLocal/&lt;app&gt;/&lt;method&gt;</c> for invocation; attributes
/// <c>dapr.api</c>, <c>dapr.protocol</c>, <c>dapr.status_code</c>, <c>db.*</c> for state and <c>messaging.*</c> for
/// pub/sub. Health probes are counted but not traced. Metrics: <c>dapr_http_server_request_count</c> and
/// <c>dapr_http_server_latency</c> by method, route and status.
/// </summary>
internal sealed class HttpApiTelemetry(RequestDelegate next, SidecarTelemetry telemetry, SidecarOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Connection.LocalPort != options.HttpPort)
        {
            await next(context);
            return;
        }

        var request = context.Request;
        var started = Stopwatch.GetTimestamp();
        var path = request.Path.Value ?? "/";
        using var span = path.StartsWith("/v1.0/healthz", StringComparison.OrdinalIgnoreCase) ? null
            : telemetry.StartSpan(path, ActivityKind.Client, request.Headers.TraceParent, request.Headers.TraceState);
        try
        {
            await next(context);
        }
        finally
        {
            var status = context.Response.StatusCode;
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? AppIdRoute(context) ?? path;
            var tags = telemetry.Tags(("method", request.Method), ("path", route), ("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            telemetry.HttpServerRequestCount.Add(1, tags);
            telemetry.HttpServerLatency.Record(SidecarTelemetry.ElapsedMs(started), tags);
            if (span is not null)
            {
                Describe(span, context, status);
            }
        }
    }

    /// <summary>Invocation through header <c>dapr-app-id</c> has no route: its series is named after the header.</summary>
    private static string? AppIdRoute(HttpContext context) =>
        context.Request.Headers[DaprHeaders.AppId].Count > 0 ? "dapr-app-id" : null;

    private static void Describe(Activity span, HttpContext context, int status)
    {
        var request = context.Request;
        span.SetTag("dapr.api", $"{request.Method} {request.Path}");
        span.SetTag("dapr.protocol", "http");
        span.SetTag("dapr.status_code", status);
        span.SetTag("http.request.method", request.Method);
        span.SetTag("url.full", $"{request.Path}{request.QueryString}");
        span.SetTag("server.address", context.Connection.RemoteIpAddress?.ToString());
        span.SetTag("server.port", context.Connection.RemotePort);

        var values = request.RouteValues;
        if (InvocationTarget(context) is var (appId, method))
        {
            span.DisplayName = $"CallLocal/{appId}/{method}";
            span.SetTag("rpc.service", "ServiceInvocation");
            span.SetTag("net.peer.name", appId);
        }
        else if (values.TryGetValue("storeName", out var store))
        {
            span.SetTag("db.system", "state");
            span.SetTag("db.connection_string", "state");
            span.SetTag("db.statement", $"{request.Method} {request.Path}");
            span.SetTag("db.name", store);
        }
        else if (values.TryGetValue("topic", out var topic))
        {
            span.SetTag("messaging.system", "pubsub");
            span.SetTag("messaging.destination.name", topic);
        }

        if (status >= 400)
        {
            span.SetStatus(ActivityStatusCode.Error, $"HTTP {status}");
        }
    }

    private static (string AppId, string Method)? InvocationTarget(HttpContext context)
    {
        var values = context.Request.RouteValues;
        if (values.TryGetValue("appId", out var appId) && values.TryGetValue("method", out var method))
        {
            return ($"{appId}", $"{method}");
        }

        // /v1.0/invoke/{**rest}: "<appId>/method/<method>", the id possibly escaped, as the invoke endpoint reads it.
        const string Marker = "/method/";
        if (values.TryGetValue("rest", out var rest) && $"{rest}" is var text && text.IndexOf(Marker, StringComparison.Ordinal) is > 0 and var at)
        {
            return (Uri.UnescapeDataString(text[..at]), text[(at + Marker.Length)..]);
        }

        return context.Request.Headers[DaprHeaders.AppId].FirstOrDefault() is { Length: > 0 } header
            ? (header, (context.Request.Path.Value ?? "").TrimStart('/'))
            : null;
    }
}

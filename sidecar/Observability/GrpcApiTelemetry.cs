using System.Diagnostics;
using Dapr.Client.Autogen.Grpc.v1;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Sidecar.Observability;

/// <summary>
/// Spans and metrics of the gRPC API, as daprd's interceptor makes them: a client span named by the full method
/// (<c>/dapr.proto.runtime.v1.Dapr/SaveState</c>), <c>CallLocal/&lt;app&gt;/&lt;method&gt;</c> for <c>InvokeService</c>,
/// with <c>dapr.api</c>, <c>dapr.protocol</c> and the building block's <c>db.*</c> / <c>messaging.*</c> attributes;
/// <c>dapr_grpc_io_server_completed_rpcs</c> and <c>dapr_grpc_io_server_server_latency</c> by method and status. Streams
/// (a workflow worker's <c>GetWorkItems</c>, open for the worker's life) are not traced.
/// </summary>
internal sealed class GrpcApiTelemetry(SidecarTelemetry telemetry) : Interceptor
{
    private const string WorkflowServicePrefix = "/TaskHubSidecarService/";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var started = Stopwatch.GetTimestamp();
        var headers = context.RequestHeaders;
        // daprd: a client span for the Dapr API an app calls, a server span for the workflow API the SDK's worker serves.
        var kind = context.Method.StartsWith(WorkflowServicePrefix, StringComparison.Ordinal) ? ActivityKind.Server : ActivityKind.Client;
        using var span = telemetry.StartSpan(context.Method, kind,
            headers.GetValue("traceparent"), headers.GetValue("tracestate"));
        var status = StatusCode.OK;
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException ex)
        {
            status = ex.StatusCode;
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            status = StatusCode.Unknown;
            throw;
        }
        finally
        {
            var tags = telemetry.Tags(("grpc_server_method", context.Method), ("grpc_server_status", status.ToString().ToUpperInvariant()));
            telemetry.GrpcServerCompletedRpcs.Add(1, tags);
            telemetry.GrpcServerLatency.Record(SidecarTelemetry.ElapsedMs(started), tags);
            WorkflowTelemetry.CountOperation(telemetry, context.Method, status);
            if (span is not null)
            {
                Describe(span, context.Method, request, status);
            }
        }
    }

    private static void Describe(Activity span, string method, object request, StatusCode status)
    {
        span.SetTag("dapr.api", method);
        span.SetTag("dapr.protocol", "grpc");
        span.SetTag("rpc.system", "grpc");
        span.SetTag("rpc.grpc.status_code", (int)status);
        // OpenTelemetry's rpc.service and rpc.method (/package.Service/Method), which dashboards show beside rpc.system.
        var separator = method.LastIndexOf('/');
        span.SetTag("rpc.service", method[1..Math.Max(1, separator)]);
        span.SetTag("rpc.method", method[(separator + 1)..]);
        switch (request)
        {
            case InvokeServiceRequest invoke:
                span.DisplayName = $"CallLocal/{invoke.Id}/{invoke.Message?.Method}";
                span.SetTag("rpc.service", "ServiceInvocation");
                span.SetTag("net.peer.name", invoke.Id);
                break;
            case PublishEventRequest publish:
                span.SetTag("messaging.system", "pubsub");
                span.SetTag("messaging.destination.name", publish.Topic);
                break;
            case BulkPublishRequest bulk:
                span.SetTag("messaging.system", "pubsub");
                span.SetTag("messaging.destination.name", bulk.Topic);
                break;
            default:
                if (request.GetType().GetProperty("StoreName")?.GetValue(request) is string store)
                {
                    span.SetTag("db.system", "state");
                    span.SetTag("db.connection_string", "state");
                    span.SetTag("db.statement", method[(method.LastIndexOf('/') + 1)..]);
                    span.SetTag("db.name", store);
                }

                break;
        }

        if (status != StatusCode.OK)
        {
            span.SetStatus(ActivityStatusCode.Error, status.ToString());
        }
    }
}

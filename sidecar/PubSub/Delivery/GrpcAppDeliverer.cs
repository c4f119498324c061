using Dapr.AppCallback.Autogen.Grpc.v1;
using Grpc.Core;
using Sidecar.AppChannel;
using Sidecar.AppChannel.GrpcApp;

namespace Sidecar.PubSub.Delivery;

/// <summary>
/// One attempt at handing one event to a gRPC app through <c>AppCallback.OnTopicEvent</c>, read as daprd reads it:
/// SUCCESS, RETRY and DROP as said, an unknown status RETRY, Unimplemented a drop without dead letter (daprd
/// acknowledges it), any other gRPC error RETRY carrying its code to the retry policy's <c>matching</c>.
/// </summary>
// dapr/dapr pkg/runtime/subscription/postman/grpc/grpc.go Deliver
internal static class GrpcAppDeliverer
{
    /// <summary>
    /// The outcome, and a status for the retry policy: the app's gRPC code (1-16) when the call failed with one, which
    /// <c>matching.gRPCStatusCodes</c> judges as daprd's <c>resiliency.NewCodeError</c> makes it; else 200, so that
    /// RETRY and unknown statuses are retried whatever the matching, as daprd's plain errors are.
    /// </summary>
    public static async Task<(DeliveryOutcome Outcome, int StatusCode)> DeliverAsync(
        AppCallbackClients app, string path, IncomingEvent incoming, string topic, string pubSubName, CancellationToken cancellationToken)
    {
        TopicEventRequest request;
        try
        {
            request = GrpcTopicEvents.Request(incoming.CloudEvent, topic, pubSubName, GrpcTopicEvents.PathForApp(path));
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or Google.Protobuf.InvalidJsonException)
        {
            throw new DeliveryFailedException($"event {incoming.Id} on topic '{topic}' cannot be handed to a gRPC app: {ex.Message}", ex);
        }

        try
        {
            var response = await app.AppCallback.OnTopicEventAsync(request, new CallOptions(TraceHeaders(incoming), cancellationToken: cancellationToken));
            return (response.Status switch
            {
                TopicEventResponse.Types.TopicEventResponseStatus.Success => DeliveryOutcome.Success,
                TopicEventResponse.Types.TopicEventResponseStatus.Drop => DeliveryOutcome.Drop,
                _ => DeliveryOutcome.Retry,
            }, 200);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            return (DeliveryOutcome.NotFound, 200);
        }
        catch (RpcException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
        catch (RpcException e)
        {
            return (DeliveryOutcome.Retry, (int)e.StatusCode);
        }
    }

    /// <summary>The delivery span's context (or the publisher's) for the app.</summary>
    internal static global::Grpc.Core.Metadata TraceHeaders(IncomingEvent incoming)
    {
        var headers = new global::Grpc.Core.Metadata();
        if ((Observability.SidecarTelemetry.CurrentTraceParent() ?? incoming.TraceParent) is { } traceParent)
        {
            headers.Add(TraceContext.TraceParentHeader, traceParent);
        }

        if (incoming.TraceState is { } traceState)
        {
            headers.Add(TraceContext.TraceStateHeader, traceState);
        }

        return headers;
    }
}

using System.Net.Http.Headers;
using Sidecar.AppChannel;
using Sidecar.PubSub.Publishing;

namespace Sidecar.PubSub.Delivery;

/// <summary>
/// One attempt at handing one event to the app: <c>POST /{route}</c> with the CloudEvent bytes, or
/// <see cref="GrpcAppDeliverer"/> for a gRPC app.
/// </summary>
internal static class AppDeliverer
{
    /// <summary>daprd passes the message metadata as headers; this one names the pub/sub.</summary>
    public const string PubSubNameHeader = "pubsubname";

    public static async Task<DeliveryOutcome> DeliverAsync(
        IAppChannel channel, string path, IncomingEvent incoming, string pubSubName, CancellationToken cancellationToken) =>
        (await DeliverWithStatusAsync(channel, path, incoming, pubSubName, cancellationToken)).Outcome;

    /// <summary>The app's reading of the event and the HTTP status it answered with (for the retry policy's <c>matching</c>).</summary>
    public static async Task<(DeliveryOutcome Outcome, int StatusCode)> DeliverWithStatusAsync(
        IAppChannel channel, string path, IncomingEvent incoming, string pubSubName, CancellationToken cancellationToken,
        string? topic = null)
    {
        if (channel.GrpcApp is { } grpcApp)
        {
            return await GrpcAppDeliverer.DeliverAsync(
                grpcApp, path, incoming, topic ?? incoming.CloudEvent["topic"]?.ToString() ?? "", pubSubName, cancellationToken);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, channel.UriFor(path))
        {
            Content = new ByteArrayContent(incoming.Body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(CloudEventBuilder.CloudEventContentType);
        request.Headers.TryAddWithoutValidation(PubSubNameHeader, pubSubName);
        // The delivery span (pubsub/<topic>, a child of the publish) is the subscriber's parent when this sidecar traces.
        if ((Observability.SidecarTelemetry.CurrentTraceParent() ?? incoming.TraceParent) is { } traceParent)
        {
            request.Headers.TryAddWithoutValidation(TraceContext.TraceParentHeader, traceParent);
        }

        if (incoming.TraceState is { } traceState)
        {
            request.Headers.TryAddWithoutValidation(TraceContext.TraceStateHeader, traceState);
        }

        using var response = await channel.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return (AppResponseReader.Read(response.StatusCode, body), (int)response.StatusCode);
    }
}

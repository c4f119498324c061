using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Grpc.Core;
using Sidecar.AppChannel.GrpcApp;
using Sidecar.Components.PubSub;
using Sidecar.PubSub.Publishing;

namespace Sidecar.PubSub.Delivery;

/// <summary>
/// One bulk delivery to a gRPC app: <c>AppCallback.OnBulkTopicEvent</c>, or <c>AppCallbackAlpha.OnBulkTopicEventAlpha1</c>
/// when the app does not implement the stable name, read as daprd reads it: each entry's status, RETRY for an entry the
/// app did not answer, Unimplemented from both a drop of every entry, any other error RETRY for every entry with its
/// gRPC code for the retry policy's <c>matching</c> (daprd's <c>resiliency.NewCodeError</c>).
/// </summary>
// dapr/dapr pkg/runtime/subscription/postman/grpc/grpc.go DeliverBulk; pkg/runtime/pubsub/subscriptions.go FetchEntry
internal static class GrpcBulkDeliverer
{
    /// <summary>One entry of the batch: its id, the broker's message and the event read from it.</summary>
    public sealed record BulkEntry(string EntryId, PubSubMessage Message, IncomingEvent Incoming);

    /// <summary>Each entry's outcome, and the gRPC code the whole call failed with when it did.</summary>
    public sealed record BulkAnswer(Func<string, DeliveryOutcome> OutcomeOf, int? FailureCode = null);

    public static async Task<BulkAnswer> DeliverAsync(
        AppCallbackClients app, string path, IReadOnlyList<BulkEntry> entries, string topic, string pubSubName, bool rawPayload,
        CancellationToken cancellationToken)
    {
        var request = new TopicEventBulkRequest
        {
            Id = Guid.NewGuid().ToString(),
            Topic = topic,
            PubsubName = pubSubName,
            Type = BulkSubscriptionDelivery.BulkEventType,
            Path = GrpcTopicEvents.PathForApp(path),
            Metadata = { ["pubsubName"] = pubSubName },
        };
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var item = new TopicEventBulkRequestEntry
            {
                EntryId = entry.EntryId,
                ContentType = entry.Message.ContentType is { Length: > 0 } contentType ? contentType
                    : rawPayload ? "application/octet-stream" : CloudEventBuilder.CloudEventContentType,
                Metadata = { entry.Message.Metadata.ToDictionary() },
            };
            try
            {
                if (rawPayload)
                {
                    item.Bytes = ByteString.CopyFrom(entry.Message.Data);
                }
                else
                {
                    item.CloudEvent = GrpcTopicEvents.CloudEvent(entry.Incoming.CloudEvent);
                }
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or InvalidJsonException)
            {
                // daprd answers RETRY for an entry it cannot convert and sends the others.
                unreadable.Add(entry.EntryId);
                continue;
            }

            request.Entries.Add(item);
        }

        var options = new CallOptions(GrpcAppDeliverer.TraceHeaders(entries[0].Incoming), cancellationToken: cancellationToken);
        TopicEventBulkResponse response;
        try
        {
            try
            {
                response = await app.AppCallback.OnBulkTopicEventAsync(request, options);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
            {
                response = await app.Alpha.OnBulkTopicEventAlpha1Async(request, options);
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            return new BulkAnswer(_ => DeliveryOutcome.NotFound);
        }
        catch (RpcException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
        catch (RpcException e)
        {
            return new BulkAnswer(_ => DeliveryOutcome.Retry, (int)e.StatusCode);
        }

        var statuses = new Dictionary<string, DeliveryOutcome>(StringComparer.Ordinal);
        foreach (var status in response.Statuses)
        {
            statuses[status.EntryId] = status.Status switch
            {
                TopicEventResponse.Types.TopicEventResponseStatus.Success => DeliveryOutcome.Success,
                TopicEventResponse.Types.TopicEventResponseStatus.Drop => DeliveryOutcome.Drop,
                _ => DeliveryOutcome.Retry,
            };
        }

        return new BulkAnswer(id => !unreadable.Contains(id) && statuses.TryGetValue(id, out var outcome) ? outcome : DeliveryOutcome.Retry);
    }
}

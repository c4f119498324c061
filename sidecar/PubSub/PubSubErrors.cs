using System.Net;
using Grpc.Core;
using Sidecar.Errors;

namespace Sidecar.PubSub;

/// <summary>The pub/sub building block's errors, with daprd's codes and statuses.</summary>
public static class PubSubErrors
{
    public static DaprError NotFound(string name) =>
        new("ERR_PUBSUB_NOT_FOUND", $"pubsub {name} not found", HttpStatusCode.NotFound, StatusCode.InvalidArgument);

    public static DaprError NameEmpty() =>
        new("ERR_PUBSUB_EMPTY", "pubsub name is empty", HttpStatusCode.NotFound, StatusCode.InvalidArgument);

    // dapr/dapr pkg/api/errors/pubsub.go TopicEmpty (errorcodes.PubSubTopicNameEmpty).
    public static DaprError TopicEmpty(string name) =>
        new("ERR_TOPIC_NAME_EMPTY", $"topic is empty in pubsub {name}", HttpStatusCode.NotFound, StatusCode.InvalidArgument);

    public static DaprError CloudEventCreation(string name, string topic, string error) =>
        new("ERR_PUBSUB_CLOUD_EVENTS_SER",
            $"error when marshalling cloud event envelope for topic {topic} pubsub {name}: {error}",
            HttpStatusCode.InternalServerError, StatusCode.InvalidArgument);

    public static DaprError PublishFailed(string name, string topic, string error) =>
        new("ERR_PUBSUB_PUBLISH_MESSAGE", $"error when publishing to topic {topic} in pubsub {name}: {error}",
            HttpStatusCode.InternalServerError, StatusCode.Internal);

    /// <summary>A bulk entry without an <c>entryId</c>, or one repeated (daprd's MarshalEvents, on both surfaces).</summary>
    public static DaprError EventsUnmarshallable(string name, string topic, string error) =>
        new("ERR_PUBSUB_EVENTS_SER", $"error marshaling events to bytes for topic {topic} pubsub {name}. error: {error}",
            HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    /// <summary>A bulk entry whose <c>event</c> does not fit its <c>contentType</c> (daprd's MarshalEnvelope).</summary>
    public static DaprError EnvelopeUnmarshallable(string name, string topic, string error) =>
        new("ERR_PUBSUB_EVENTS_SER", $"error when marshalling cloud event envelope for topic {topic} pubsub {name}: {error}",
            HttpStatusCode.BadRequest, StatusCode.InvalidArgument);

    public static DaprError EventsUnreadable(string name, string topic, string error) =>
        new("ERR_PUBSUB_EVENTS_SER", $"error when unmarshaling the request for topic {topic} pubsub {name}: {error}",
            HttpStatusCode.BadRequest, StatusCode.InvalidArgument);
}

using Dapr.AppCallback.Autogen.Grpc.v1;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Sidecar.AppChannel.GrpcApp;

/// <summary>
/// The methods of the app's callback services (<c>dapr/proto/runtime/v1/appcallback.proto</c>). Dapr.Protos 1.18.7 ships
/// only the server side of them (the <c>*Base</c> classes), so the sidecar, which is their client, declares them here
/// over the package's message types.
/// </summary>
internal static class AppCallbackMethods
{
    public const string AppCallbackService = "dapr.proto.runtime.v1.AppCallback";
    public const string AlphaService = "dapr.proto.runtime.v1.AppCallbackAlpha";
    public const string HealthCheckService = "dapr.proto.runtime.v1.AppCallbackHealthCheck";

    public static readonly Method<InvokeRequest, InvokeResponse> OnInvoke =
        Unary(AppCallbackService, "OnInvoke", InvokeRequest.Parser, InvokeResponse.Parser);

    public static readonly Method<Empty, ListTopicSubscriptionsResponse> ListTopicSubscriptions =
        Unary(AppCallbackService, "ListTopicSubscriptions", Empty.Parser, ListTopicSubscriptionsResponse.Parser);

    public static readonly Method<TopicEventRequest, TopicEventResponse> OnTopicEvent =
        Unary(AppCallbackService, "OnTopicEvent", TopicEventRequest.Parser, TopicEventResponse.Parser);

    public static readonly Method<Empty, ListInputBindingsResponse> ListInputBindings =
        Unary(AppCallbackService, "ListInputBindings", Empty.Parser, ListInputBindingsResponse.Parser);

    public static readonly Method<BindingEventRequest, BindingEventResponse> OnBindingEvent =
        Unary(AppCallbackService, "OnBindingEvent", BindingEventRequest.Parser, BindingEventResponse.Parser);

    public static readonly Method<TopicEventBulkRequest, TopicEventBulkResponse> OnBulkTopicEvent =
        Unary(AppCallbackService, "OnBulkTopicEvent", TopicEventBulkRequest.Parser, TopicEventBulkResponse.Parser);

    public static readonly Method<TopicEventBulkRequest, TopicEventBulkResponse> OnBulkTopicEventAlpha1 =
        Unary(AlphaService, "OnBulkTopicEventAlpha1", TopicEventBulkRequest.Parser, TopicEventBulkResponse.Parser);

    public static readonly Method<JobEventRequest, JobEventResponse> OnJobEventAlpha1 =
        Unary(AlphaService, "OnJobEventAlpha1", JobEventRequest.Parser, JobEventResponse.Parser);

    public static readonly Method<Empty, HealthCheckResponse> HealthCheck =
        Unary(HealthCheckService, "HealthCheck", Empty.Parser, HealthCheckResponse.Parser);

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(
        string service, string name, MessageParser<TRequest> requestParser, MessageParser<TResponse> responseParser)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new(MethodType.Unary, service, name,
            Marshallers.Create(static m => m.ToByteArray(), requestParser.ParseFrom),
            Marshallers.Create(static m => m.ToByteArray(), responseParser.ParseFrom));
}

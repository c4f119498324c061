using Dapr.AppCallback.Autogen.Grpc.v1;
using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Sidecar.AppChannel.GrpcApp;

/// <summary>Client of the app's <c>dapr.proto.runtime.v1.AppCallback</c> service.</summary>
public sealed class AppCallbackClient(CallInvoker invoker)
{
    /// <summary>Service invocation of the app.</summary>
    public AsyncUnaryCall<InvokeResponse> OnInvokeAsync(InvokeRequest request, CallOptions options = default) =>
        invoker.AsyncUnaryCall(AppCallbackMethods.OnInvoke, null, options, request);

    /// <summary>The app's programmatic subscriptions.</summary>
    public AsyncUnaryCall<ListTopicSubscriptionsResponse> ListTopicSubscriptionsAsync(CallOptions options = default) =>
        invoker.AsyncUnaryCall(AppCallbackMethods.ListTopicSubscriptions, null, options, new Empty());

    /// <summary>One pub/sub event.</summary>
    public AsyncUnaryCall<TopicEventResponse> OnTopicEventAsync(TopicEventRequest request, CallOptions options = default) =>
        invoker.AsyncUnaryCall(AppCallbackMethods.OnTopicEvent, null, options, request);

    /// <summary>The input bindings the app listens to.</summary>
    public AsyncUnaryCall<ListInputBindingsResponse> ListInputBindingsAsync(CallOptions options = default) =>
        invoker.AsyncUnaryCall(AppCallbackMethods.ListInputBindings, null, options, new Empty());

    /// <summary>One input binding event.</summary>
    public AsyncUnaryCall<BindingEventResponse> OnBindingEventAsync(BindingEventRequest request, CallOptions options = default) =>
        invoker.AsyncUnaryCall(AppCallbackMethods.OnBindingEvent, null, options, request);

    /// <summary>A batch of pub/sub events (the stable name; daprd tries it before the Alpha1 one).</summary>
    public AsyncUnaryCall<TopicEventBulkResponse> OnBulkTopicEventAsync(TopicEventBulkRequest request, CallOptions options = default) =>
        invoker.AsyncUnaryCall(AppCallbackMethods.OnBulkTopicEvent, null, options, request);
}

/// <summary>Client of the app's <c>dapr.proto.runtime.v1.AppCallbackAlpha</c> service.</summary>
public sealed class AppCallbackAlphaClient(CallInvoker invoker)
{
    /// <summary>A batch of pub/sub events.</summary>
    public AsyncUnaryCall<TopicEventBulkResponse> OnBulkTopicEventAlpha1Async(TopicEventBulkRequest request, CallOptions options = default) =>
        invoker.AsyncUnaryCall(AppCallbackMethods.OnBulkTopicEventAlpha1, null, options, request);

    /// <summary>A scheduled job that is due.</summary>
    public AsyncUnaryCall<JobEventResponse> OnJobEventAlpha1Async(JobEventRequest request, CallOptions options = default) =>
        invoker.AsyncUnaryCall(AppCallbackMethods.OnJobEventAlpha1, null, options, request);
}

/// <summary>Client of the app's <c>dapr.proto.runtime.v1.AppCallbackHealthCheck</c> service.</summary>
public sealed class AppCallbackHealthCheckClient(CallInvoker invoker)
{
    /// <summary>Answers OK when the app is healthy.</summary>
    public AsyncUnaryCall<HealthCheckResponse> HealthCheckAsync(CallOptions options = default) =>
        invoker.AsyncUnaryCall(AppCallbackMethods.HealthCheck, null, options, new Empty());
}

using System.Text.Json;
using Dapr.AppCallback.Autogen.Grpc.v1;
using Google.Protobuf;
using Grpc.Core;
using Sidecar.AppChannel.GrpcApp;
using Sidecar.AppChannel.Resources;

namespace Sidecar.PubSub.Subscriptions;

/// <summary>
/// A gRPC app's subscriptions: <c>AppCallback.ListTopicSubscriptions</c> instead of <c>GET /dapr/subscribe</c>;
/// Unimplemented means none. Each item is read as the JSON form is (same field names), and a subscription without
/// routes gets daprd's gRPC default route, the empty path.
/// </summary>
// dapr/dapr pkg/runtime/pubsub/subscriptions.go GetSubscriptionsGRPC, parseRoutingRulesGRPC
internal static class GrpcProgrammaticSubscriptions
{
    public static async Task<IReadOnlyList<Subscription>> LoadAsync(
        AppCallbackClients app, string appId, Action<string> skipped, CancellationToken cancellationToken)
    {
        ListTopicSubscriptionsResponse response;
        try
        {
            response = await app.AppCallback.ListTopicSubscriptionsAsync(new CallOptions(cancellationToken: cancellationToken));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            return [];
        }
        catch (RpcException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw new InvalidOperationException(
                $"ListTopicSubscriptions on gRPC app '{appId}' failed: {e.StatusCode} {e.Status.Detail}", e);
        }

        var subscriptions = new List<Subscription>();
        for (var i = 0; i < response.Subscriptions.Count; i++)
        {
            var item = response.Subscriptions[i];
            if (item.Routes is null || (item.Routes.Rules.Count == 0 && string.IsNullOrEmpty(item.Routes.Default)))
            {
                // gRPC's default route is the empty path; routed here as "/", handed to the app as "".
                item = item.Clone();
                item.Routes = new TopicRoutes { Default = "/" };
            }

            try
            {
                using var json = JsonDocument.Parse(JsonFormatter.Default.Format(item));
                subscriptions.Add(SubscriptionParser.Parse(
                    SpecTree.From(json.RootElement), SubscriptionKind.Programmatic, $"ListTopicSubscriptions item {i}"));
            }
            catch (FormatException ex)
            {
                skipped(ex.Message);
            }
        }

        return subscriptions;
    }
}

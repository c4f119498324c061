using System.Text.Json;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Components;
using Sidecar.Components.PubSub;
using Sidecar.Errors;
using Sidecar.Hosting;

namespace Sidecar.PubSub.Publishing;

/// <summary>
/// Finds the pub/sub (components scoped away from this app are not found), builds the CloudEvent and hands it to the
/// broker. The broker message carries the content type and the request metadata.
/// </summary>
internal sealed class Publisher(
    IPubSubRegistry registry, SidecarOptions options, IResiliencyPolicies policies, TimeProvider time) : IPublisher
{
    public async Task PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var pubSub = Resolve(request.PubSubName, request.Topic);
        var message = ToMessage(request);
        try
        {
            await PublishWithPolicyAsync(request.PubSubName, pubSub, request.Topic, message, cancellationToken);
        }
        catch (Exception ex) when (ex is not DaprException and not OperationCanceledException)
        {
            throw PubSubErrors.PublishFailed(request.PubSubName, request.Topic, ex.Message).ToException();
        }
    }

    public async Task<IReadOnlyList<BulkPublishFailure>> BulkPublishAsync(
        string pubSubName, string topic, IReadOnlyList<BulkPublishEntry> entries, IReadOnlyDictionary<string, string> metadata,
        string? traceParent, string? traceState, CancellationToken cancellationToken)
    {
        var pubSub = Resolve(pubSubName, topic);
        var failures = new List<BulkPublishFailure>();
        foreach (var entry in entries)
        {
            // Entry metadata wins over the request's, as in daprd.
            var merged = new Dictionary<string, string>(metadata, StringComparer.Ordinal);
            foreach (var (key, value) in entry.Metadata)
            {
                merged[key] = value;
            }

            try
            {
                var message = ToMessage(new PublishRequest(pubSubName, topic, entry.Event, entry.ContentType, merged, traceParent, traceState));
                await PublishWithPolicyAsync(pubSubName, pubSub, topic, message, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(new BulkPublishFailure(entry.EntryId, ex.Message));
            }
        }

        return failures;
    }

    // The component's outbound policy (targets.components.<name>.outbound) wraps each publish: a broker error is
    // counted by its breaker and retried.
    // dapr/dapr pkg/runtime/pubsub/publisher/publisher.go Publish (ComponentOutboundPolicy)
    private Task PublishWithPolicyAsync(
        string pubSubName, IPubSub pubSub, string topic, PubSubMessage message, CancellationToken cancellationToken) =>
        policies.RunnerForComponentOutbound(pubSubName, ComponentKind.Pubsub).RunAsync(
            async token =>
            {
                await pubSub.PublishAsync(topic, message, token);
                return true;
            },
            _ => AttemptVerdict.Success, null, cancellationToken);

    private IPubSub Resolve(string name, string topic)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw PubSubErrors.NameEmpty().ToException();
        }

        if (!registry.TryGetPubSub(name, out var pubSub))
        {
            throw PubSubErrors.NotFound(name).ToException();
        }

        if (string.IsNullOrEmpty(topic))
        {
            throw PubSubErrors.TopicEmpty(name).ToException();
        }

        return pubSub;
    }

    private PubSubMessage ToMessage(PublishRequest request)
    {
        var metadata = new Dictionary<string, string>(request.Metadata, StringComparer.Ordinal);
        if (CloudEventBuilder.IsRawPayload(request.Metadata))
        {
            return new PubSubMessage(request.Topic, request.Data.ToArray(),
                request.ContentType ?? "application/octet-stream", metadata);
        }

        try
        {
            var envelope = CloudEventBuilder.Build(request, options.AppId, time.GetUtcNow());
            return new PubSubMessage(request.Topic, envelope, CloudEventBuilder.CloudEventContentType, metadata);
        }
        catch (JsonException ex)
        {
            throw PubSubErrors.CloudEventCreation(request.PubSubName, request.Topic, ex.Message).ToException();
        }
    }
}

using System.Diagnostics;
using System.Text.Json;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Components;
using Sidecar.Components.PubSub;
using Sidecar.Errors;
using Sidecar.Hosting;
using Sidecar.Observability;

namespace Sidecar.PubSub.Publishing;

/// <summary>
/// Finds the pub/sub (components scoped away from this app are not found), builds the CloudEvent and hands it to the
/// broker. The broker message carries the content type and the request metadata.
/// </summary>
internal sealed class Publisher(
    IPubSubRegistry registry, SidecarOptions options, IResiliencyPolicies policies, TimeProvider time, SidecarTelemetry telemetry)
    : IPublisher
{
    public async Task PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var pubSub = Resolve(request.PubSubName, request.Topic);
        using var producer = StartProducerSpan(ProducerParent(request.Topic, request.TraceParent, request.TraceState), request.Topic);
        var started = Stopwatch.GetTimestamp();
        var success = false;
        var message = ToMessage(request);
        try
        {
            await PublishWithPolicyAsync(request.PubSubName, pubSub, request.Topic, message, cancellationToken);
            success = true;
        }
        catch (Exception ex) when (ex is not DaprException and not OperationCanceledException)
        {
            producer?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw PubSubErrors.PublishFailed(request.PubSubName, request.Topic, ex.Message).ToException();
        }
        finally
        {
            CountEgress(request.PubSubName, request.Topic, success, started);
        }
    }

    /// <summary>
    /// daprd's producer span: a child of the API span, named like it; its context is what the CloudEvent carries
    /// (<c>traceparent</c>, <c>traceid</c>), so the subscriber's delivery span is its child.
    /// </summary>
    private Activity? StartProducerSpan((string Name, string? TraceParent, string? TraceState) parent, string topic)
    {
        var span = telemetry.StartSpan(parent.Name, ActivityKind.Producer, parent.TraceParent, parent.TraceState);
        span?.SetTag("messaging.system", "pubsub");
        span?.SetTag("messaging.destination.name", topic);
        return span;
    }

    /// <summary>The API span this publish belongs to (its name and context), else the caller's trace context.</summary>
    private static (string Name, string? TraceParent, string? TraceState) ProducerParent(string topic, string? traceParent, string? traceState) =>
        Activity.Current is { } api && SidecarTelemetry.IsSidecarSpan(api)
            ? (api.DisplayName, api.Id, api.TraceStateString)
            : ($"publish/{topic}", traceParent, traceState);

    private void CountEgress(string pubSubName, string topic, bool success, long started)
    {
        var tags = telemetry.Tags(("component", pubSubName), ("namespace", ""), ("success", success ? "true" : "false"), ("topic", topic));
        telemetry.PubSubEgressCount.Add(1, tags);
        telemetry.PubSubEgressLatency.Record(SidecarTelemetry.ElapsedMs(started), tags);
    }

    public async Task<IReadOnlyList<BulkPublishFailure>> BulkPublishAsync(
        string pubSubName, string topic, IReadOnlyList<BulkPublishEntry> entries, IReadOnlyDictionary<string, string> metadata,
        string? traceParent, string? traceState, CancellationToken cancellationToken)
    {
        var pubSub = Resolve(pubSubName, topic);
        EnsureEntryIds(pubSubName, topic, entries);
        var failures = new List<BulkPublishFailure>();
        var parent = ProducerParent(topic, traceParent, traceState);
        foreach (var entry in entries)
        {
            // Entry metadata wins over the request's, as in daprd.
            var merged = new Dictionary<string, string>(metadata, StringComparer.Ordinal);
            foreach (var (key, value) in entry.Metadata)
            {
                merged[key] = value;
            }

            // As daprd: one producer span per entry, each event carrying its own traceparent.
            using var producer = StartProducerSpan(parent, topic);
            var started = Stopwatch.GetTimestamp();
            var success = false;
            try
            {
                var message = ToMessage(new PublishRequest(pubSubName, topic, entry.Event, entry.ContentType, merged, traceParent, traceState));
                await PublishWithPolicyAsync(pubSubName, pubSub, topic, message, cancellationToken);
                success = true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(new BulkPublishFailure(entry.EntryId, ex.Message));
            }
            finally
            {
                CountEgress(pubSubName, topic, success, started);
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

    public void EnsureTarget(string pubSubName, string topic) => Resolve(pubSubName, topic);

    // dapr/dapr pkg/api/http/http.go onBulkPublish and pkg/api/grpc/grpc.go BulkPublishEvent: every entry needs its own id.
    private static void EnsureEntryIds(string pubSubName, string topic, IReadOnlyList<BulkPublishEntry> entries)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (string.IsNullOrEmpty(entry.EntryId) || !seen.Add(entry.EntryId))
            {
                throw PubSubErrors.EventsUnmarshallable(pubSubName, topic, "entryId is duplicated or not present for entry").ToException();
            }
        }
    }

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

using System.Diagnostics;
using System.Text.Json;
using Sidecar.AppChannel;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Components.PubSub;
using Sidecar.Observability;
using Sidecar.PubSub.Subscriptions;

namespace Sidecar.PubSub.Delivery;

/// <summary>
/// Hands the messages of one subscription to the app, one event per call, as daprd does: route by the rules, wait
/// while the app is unhealthy, deliver under the pub/sub's inbound resiliency policy, then settle. A dropped event, or
/// one still failing when the policy gives up, goes to the dead letter topic when one is set; without one a failure
/// is thrown back to the broker, which settles it as its component does (see <see cref="IPubSub"/>).
/// </summary>
internal sealed partial class SubscriptionDelivery(
    Subscription subscription, IPubSub pubSub, IAppChannel channel, IAppHealth health, IResiliencyPolicies policies,
    TimeProvider time, ILogger logger, SidecarTelemetry? telemetry = null)
{
    public Subscription Subscription { get; } = subscription;

    /// <summary>This sidecar's spans and metrics (null in tests that build a delivery without them), for bulk delivery too.</summary>
    internal SidecarTelemetry? Telemetry => telemetry;

    /// <summary>The pub/sub's inbound policy (<c>targets.components.&lt;pubsub&gt;.inbound</c>), for bulk delivery too.</summary>
    internal PolicyRunner InboundRunner() => policies.RunnerForComponentInbound(Subscription.PubSubName);

    public async Task HandleAsync(PubSubMessage message, CancellationToken cancellationToken)
    {
        IncomingEvent incoming;
        try
        {
            incoming = IncomingEvent.Read(message, Subscription.PubSubName, Subscription.RawPayload);
        }
        catch (JsonException ex)
        {
            LogUnreadable(Subscription.Topic, ex.Message);
            await DeadLetterOrThrowAsync(message, new DeliveryFailedException(ex.Message, ex), cancellationToken);
            return;
        }

        if (incoming.HasExpired(time.GetUtcNow()))
        {
            LogExpired(incoming.Id, Subscription.Topic);
            await TryDeadLetterAsync(message, cancellationToken);
            return;
        }

        if (Subscription.PathFor(incoming.CloudEvent) is not { } path)
        {
            LogNoRoute(incoming.Id, Subscription.Topic);
            await TryDeadLetterAsync(message, cancellationToken);
            return;
        }

        // daprd's delivery span, pubsub/<topic>: a child of the publisher's span that the CloudEvent carries.
        using var span = telemetry?.StartSpan($"pubsub/{Subscription.Topic}", ActivityKind.Client, incoming.TraceParent, incoming.TraceState);
        span?.SetTag("messaging.system", "pubsub");
        span?.SetTag("messaging.destination.name", Subscription.Topic);
        var started = Stopwatch.GetTimestamp();
        var (outcome, error) = await DeliverWithPolicyAsync(path, incoming, cancellationToken);
        CountIngress(outcome, started);
        if (outcome is not DeliveryOutcome.Success)
        {
            span?.SetStatus(ActivityStatusCode.Error, outcome.ToString());
        }

        switch (outcome)
        {
            case DeliveryOutcome.Success:
                return;
            case DeliveryOutcome.NotFound:
                LogNotFound(incoming.Id, Subscription.Topic, path);
                return;
            case DeliveryOutcome.Drop:
                LogDropped(incoming.Id, Subscription.Topic);
                await TryDeadLetterAsync(message, cancellationToken);
                return;
            default:
                await DeadLetterOrThrowAsync(message, new DeliveryFailedException(
                    $"event {incoming.Id} on topic '{Subscription.Topic}' was not accepted by {path}: {error?.Message ?? "the app asked to retry"}",
                    error), cancellationToken);
                return;
        }
    }

    /// <summary>dapr_component_pubsub_ingress_count by what became of the event: success, retry or drop.</summary>
    private void CountIngress(DeliveryOutcome outcome, long started)
    {
        if (telemetry is null)
        {
            return;
        }

        var status = outcome switch
        {
            DeliveryOutcome.Success => "success",
            DeliveryOutcome.Drop or DeliveryOutcome.NotFound => "drop",
            _ => "retry",
        };
        var tags = telemetry.Tags(("component", Subscription.PubSubName), ("namespace", ""), ("process_status", status),
            ("topic", Subscription.Topic));
        telemetry.PubSubIngressCount.Add(1, tags);
        telemetry.PubSubIngressLatency.Record(SidecarTelemetry.ElapsedMs(started), tags);
    }

    private async Task<(DeliveryOutcome Outcome, Exception? Error)> DeliverWithPolicyAsync(
        string path, IncomingEvent incoming, CancellationToken cancellationToken)
    {
        var runner = InboundRunner();
        try
        {
            var (outcome, _) = await runner.RunAsync(
                async token =>
                {
                    // Delivery pauses while the app is unhealthy; the message waits, it is not failed.
                    await health.WaitUntilHealthyAsync(token);
                    return await AppDeliverer.DeliverWithStatusAsync(
                        channel, path, incoming, Subscription.PubSubName, token, Subscription.Topic);
                },
                JudgeDelivery, null, cancellationToken);
            return (outcome, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (DeliveryOutcome.Retry, ex);
        }
    }

    // RETRY (or an unknown status) is a failure retried whatever the matching; a non-2xx answer other than 404, or a
    // gRPC app's error code (0-16, never 2xx), carries its status so the retry policy's matching decides; SUCCESS, DROP
    // and 404 end the delivery without a failure.
    // dapr/dapr pkg/runtime/subscription/postman/http/http.go and postman/grpc/grpc.go Deliver (NewCodeError),
    // pkg/runtime/subscription/subscription.go
    private static AttemptVerdict JudgeDelivery((DeliveryOutcome Outcome, int StatusCode) answer) => answer switch
    {
        (DeliveryOutcome.Retry, < 200 or > 299) => AttemptVerdict.FailureWithStatus(answer.StatusCode),
        (DeliveryOutcome.Retry, _) => AttemptVerdict.Failure,
        _ => AttemptVerdict.Success,
    };

    private async Task DeadLetterOrThrowAsync(PubSubMessage message, DeliveryFailedException error, CancellationToken cancellationToken)
    {
        if (!await TryDeadLetterAsync(message, cancellationToken))
        {
            throw error;
        }
    }

    /// <summary>Publishes the original message to the dead letter topic; false when none is set.</summary>
    internal async Task<bool> TryDeadLetterAsync(PubSubMessage message, CancellationToken cancellationToken)
    {
        if (Subscription.DeadLetterTopic is not { } deadLetter)
        {
            return false;
        }

        await pubSub.PublishAsync(deadLetter, message with { Topic = deadLetter }, cancellationToken);
        LogDeadLettered(Subscription.Topic, deadLetter);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Topic {Topic}: the message is not a CloudEvent: {Error}")]
    private partial void LogUnreadable(string topic, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropping expired event {Id} on topic {Topic}")]
    private partial void LogExpired(string id, string topic);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No route matches event {Id} on topic {Topic}; skipping")]
    private partial void LogNoRoute(string id, string topic);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {Id} on topic {Topic}: the app answered 404 for {Path}; not retried")]
    private partial void LogNotFound(string id, string topic, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DROP status returned from app for event {Id} on topic {Topic}")]
    private partial void LogDropped(string id, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic}: message sent to dead letter topic {DeadLetterTopic}")]
    private partial void LogDeadLettered(string topic, string deadLetterTopic);
}

/// <summary>The app did not take the event; the broker should redeliver it.</summary>
public sealed class DeliveryFailedException(string message, Exception? inner = null) : Exception(message, inner);

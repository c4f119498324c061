using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sidecar.AppChannel;
using Sidecar.AppChannel.Resiliency;
using Sidecar.Components.PubSub;
using Sidecar.Observability;
using Sidecar.PubSub.Publishing;
using Sidecar.PubSub.Subscriptions;

namespace Sidecar.PubSub.Delivery;

/// <summary>
/// <c>bulkSubscribe.enabled</c>: collects up to <see cref="BulkSubscribeOptions.MaxMessagesCount"/> events within
/// <see cref="BulkSubscribeOptions.MaxAwaitDuration"/> and POSTs them in one <c>com.dapr.event.sent.bulk</c> call per
/// route. Each entry is settled by its own status (SUCCESS, RETRY, DROP; a missing one is RETRY). A 404 settles all;
/// another failure retries all. The pub/sub's inbound policy retries the entries still unsettled. Failed entries go to the dead letter topic when set, else back to the broker.
/// </summary>
internal sealed partial class BulkSubscriptionDelivery(
    SubscriptionDelivery single, IAppChannel channel, IAppHealth health, TimeProvider time, ILogger logger, CancellationToken stopping)
{
    public const string BulkEventType = "com.dapr.event.sent.bulk";

    private readonly Lock _gate = new();
    private readonly BulkSubscribeOptions _options = single.Subscription.BulkSubscribe!;
    private List<Entry> _batch = [];

    private Subscription Subscription => single.Subscription;

    public async Task HandleAsync(PubSubMessage message, CancellationToken cancellationToken)
    {
        IncomingEvent incoming;
        try
        {
            incoming = IncomingEvent.Read(message, Subscription.PubSubName, Subscription.RawPayload);
        }
        catch (JsonException)
        {
            // Unreadable messages are settled the same way with or without bulk.
            await single.HandleAsync(message, cancellationToken);
            return;
        }

        if (Subscription.PathFor(incoming.CloudEvent) is not { } path || incoming.HasExpired(time.GetUtcNow()))
        {
            await single.HandleAsync(message, cancellationToken);
            return;
        }

        var entry = new Entry(Guid.NewGuid().ToString(), message, incoming, path);
        List<Entry>? full = null;
        lock (_gate)
        {
            _batch.Add(entry);
            if (_batch.Count == 1)
            {
                _ = FlushAfterAsync(_batch);
            }

            if (_batch.Count >= _options.MaxMessagesCount)
            {
                full = _batch;
                _batch = [];
            }
        }

        if (full is not null)
        {
            _ = SendAsync(full);
        }

        var outcome = await entry.Settled.Task.WaitAsync(cancellationToken);
        await SettleAsync(entry, outcome, cancellationToken);
    }

    private async Task FlushAfterAsync(List<Entry> batch)
    {
        try
        {
            await Task.Delay(_options.MaxAwaitDuration, time, stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the waiting entries are cancelled by their own handlers and go back to the broker.
            return;
        }

        lock (_gate)
        {
            if (!ReferenceEquals(batch, _batch))
            {
                return;
            }

            _batch = [];
        }

        await SendAsync(batch);
    }

    private async Task SendAsync(List<Entry> batch)
    {
        foreach (var byPath in batch.GroupBy(e => e.Path, StringComparer.Ordinal))
        {
            var pending = byPath.ToList();
            try
            {
                // Under the pub/sub's inbound policy each attempt sends the entries not yet settled, as daprd's
                // accumulator narrows the batch (dapr/dapr pkg/runtime/subscription/bulkresiliency.go).
                await single.InboundRunner().RunAsync(
                    async token =>
                    {
                        await health.WaitUntilHealthyAsync(token);
                        var answer = await PostAsync(byPath.Key, pending, token);
                        var failed = new List<Entry>();
                        foreach (var entry in pending)
                        {
                            var outcome = answer.OutcomeOf(entry.EntryId);
                            if (outcome == DeliveryOutcome.Retry)
                            {
                                failed.Add(entry);
                            }
                            else
                            {
                                entry.Settled.TrySetResult(outcome);
                            }
                        }

                        pending = failed;
                        return (Remaining: failed.Count, answer.FailureCode);
                    },
                    r => r.Remaining == 0 ? AttemptVerdict.Success
                        : r.FailureCode is { } code ? AttemptVerdict.FailureWithStatus(code) : AttemptVerdict.Failure,
                    null, stopping);
                foreach (var entry in pending)
                {
                    entry.Settled.TrySetResult(DeliveryOutcome.Retry);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Interrupted, not failed: each entry's handler is cancelled too and the broker keeps the message.
                return;
            }
            catch (Exception ex)
            {
                LogBulkFailed(Subscription.Topic, byPath.Key, ex.Message);
                foreach (var entry in pending)
                {
                    entry.Settled.TrySetResult(DeliveryOutcome.Retry);
                }
            }
        }
    }

    private async Task<GrpcBulkDeliverer.BulkAnswer> PostAsync(string path, List<Entry> entries, CancellationToken cancellationToken)
    {
        if (channel.GrpcApp is { } grpcApp)
        {
            return await GrpcBulkDeliverer.DeliverAsync(
                grpcApp, path, [.. entries.Select(e => new GrpcBulkDeliverer.BulkEntry(e.EntryId, e.Message, e.Incoming))],
                Subscription.Topic, Subscription.PubSubName, Subscription.RawPayload, cancellationToken);
        }

        var body = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["type"] = BulkEventType,
            ["topic"] = Subscription.Topic,
            ["pubsubname"] = Subscription.PubSubName,
            ["metadata"] = new JsonObject { ["pubsubName"] = Subscription.PubSubName },
            ["entries"] = new JsonArray([.. entries.Select(e => (JsonNode)new JsonObject
            {
                ["entryId"] = e.EntryId,
                ["event"] = e.Incoming.CloudEvent.DeepClone(),
                ["contentType"] = CloudEventBuilder.CloudEventContentType,
                ["metadata"] = new JsonObject(e.Message.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
            })]),
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, channel.UriFor(path))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(AppDeliverer.PubSubNameHeader, Subscription.PubSubName);
        var spans = StartSpans(entries);
        try
        {
            // As daprd does, the app's handling of the batch continues the trace of the last entry that has one.
            if (spans.LastOrDefault() is { } last)
            {
                request.Headers.TryAddWithoutValidation(TraceContext.TraceParentHeader, last.Id);
            }

            using var response = await channel.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                spans.ForEach(s => s.SetStatus(ActivityStatusCode.Error, $"HTTP {(int)response.StatusCode}"));
            }

            return new GrpcBulkDeliverer.BulkAnswer(Statuses(response.StatusCode, bytes));
        }
        catch (Exception ex)
        {
            spans.ForEach(s => s.SetStatus(ActivityStatusCode.Error, ex.Message));
            throw;
        }
        finally
        {
            spans.ForEach(s => s.Dispose());
        }
    }

    /// <summary>
    /// daprd's delivery span <c>pubsub/&lt;topic&gt;</c> for each entry of one call to the app, each a child of the
    /// publish its CloudEvent carries (none when this sidecar does not trace).
    /// </summary>
    private List<Activity> StartSpans(List<Entry> entries)
    {
        var spans = new List<Activity>();
        if (single.Telemetry is not { } telemetry)
        {
            return spans;
        }

        foreach (var entry in entries)
        {
            var span = telemetry.StartDetachedSpan($"pubsub/{Subscription.Topic}", ActivityKind.Client,
                entry.Incoming.TraceParent, entry.Incoming.TraceState);
            if (span is not null)
            {
                span.SetTag("messaging.system", "pubsub");
                span.SetTag("messaging.destination.name", Subscription.Topic);
                span.SetTag("messaging.batch.message_count", entries.Count);
                spans.Add(span);
            }
        }

        return spans;
    }

    /// <summary>What became of each entry (by entry id), from the app's answer to the batch.</summary>
    private static Func<string, DeliveryOutcome> Statuses(HttpStatusCode status, byte[] bytes)
    {
        if (status == HttpStatusCode.NotFound)
        {
            return _ => DeliveryOutcome.NotFound;
        }

        if ((int)status is < 200 or > 299)
        {
            return _ => DeliveryOutcome.Retry;
        }

        var statuses = ReadStatuses(bytes);
        return id => statuses.TryGetValue(id, out var status) ? AppResponseReader.FromStatus(status) : DeliveryOutcome.Retry;
    }

    private static Dictionary<string, string?> ReadStatuses(byte[] body)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            if (JsonNode.Parse(body) is JsonObject root && Property(root, "statuses") is JsonArray statuses)
            {
                foreach (var item in statuses.OfType<JsonObject>())
                {
                    if (Property(item, "entryId")?.GetValue<string>() is { } id)
                    {
                        result[id] = StatusText(Property(item, "status"));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // Unreadable statuses: every entry counts as not answered, i.e. RETRY.
        }

        return result;
    }

    /// <summary>A status word, or the enum's number (SUCCESS, RETRY, DROP) from serializers that write enums as numbers.</summary>
    private static string? StatusText(JsonNode? status) => status switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.TryGetValue<int>(out var number) => number switch { 0 => "SUCCESS", 2 => "DROP", _ => "RETRY" },
        _ => null,
    };

    private static JsonNode? Property(JsonObject node, string name) =>
        node.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private async Task SettleAsync(Entry entry, DeliveryOutcome outcome, CancellationToken cancellationToken)
    {
        switch (outcome)
        {
            case DeliveryOutcome.Success or DeliveryOutcome.NotFound:
                return;
            case DeliveryOutcome.Drop:
                await single.TryDeadLetterAsync(entry.Message, cancellationToken);
                return;
            default:
                if (!await single.TryDeadLetterAsync(entry.Message, cancellationToken))
                {
                    throw new DeliveryFailedException($"bulk entry {entry.EntryId} on topic '{Subscription.Topic}' was not accepted");
                }

                return;
        }
    }

    private sealed record Entry(string EntryId, PubSubMessage Message, IncomingEvent Incoming, string Path)
    {
        public TaskCompletionSource<DeliveryOutcome> Settled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk delivery on topic {Topic} to {Path} failed: {Error}")]
    private partial void LogBulkFailed(string topic, string path, string error);
}

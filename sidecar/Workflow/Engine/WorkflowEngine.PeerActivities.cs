using System.Collections.Concurrent;
using Dapr.DurableTask.Protobuf;

namespace Sidecar.Workflow.Engine;

/// <summary>
/// The target side of activities other apps' workflows address to this app: queue each once for this sidecar's
/// workers (repeats of an offer change only where the result goes), and once a worker finished it keep the RESULT and
/// deliver it to the workflow's sidecar, retrying with backoff until that sidecar records it or answers that the
/// workflow no longer wants it. A delivery failure never runs the activity again: daprd's activity actor likewise
/// keeps the result in a reminder when the workflow actor cannot be reached and retries its delivery, not the activity
/// (dapr/dapr <c>pkg/actors/targets/workflow/activity/publish.go</c> publishResult, <c>reminder.go</c>
/// createWorkflowResultReminder), and drops it when the workflow instance is gone.
/// </summary>
internal sealed partial class WorkflowEngine
{
    private static readonly TimeSpan PeerDeliveryFirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan PeerDeliveryMaxRetry = TimeSpan.FromSeconds(15);

    // How long a delivered result's key is remembered, so a late repeat of its offer does not run it again.
    private static readonly TimeSpan DeliveredMemory = TimeSpan.FromMinutes(2);

    // Peer activities held here (queued, running, or finished with the result not yet delivered), by source key.
    private readonly ConcurrentDictionary<string, PeerActivity> _peerActivities = new(StringComparer.Ordinal);

    // This sidecar's completion token of each queued peer activity → its source key.
    private readonly ConcurrentDictionary<string, string> _peerTokens = new(StringComparer.Ordinal);

    // Source keys whose results were delivered, with when; and the same in the order they were delivered, so forgetting
    // the old ones looks only at those (not at every key, on every delivery).
    private readonly ConcurrentDictionary<string, DateTimeOffset> _peerDelivered = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset At)> _peerDeliveredOrder = new();

    /// <summary>Peer activities this sidecar holds: queued, running, or finished with the result not delivered yet.</summary>
    internal int HeldPeerActivityCount => _peerActivities.Count;

    /// <summary>
    /// Takes an activity another app's workflow addressed to this app: queues it for this sidecar's workers under a
    /// token of its own. A repeat of an offer this sidecar holds only updates where the result goes (and delivers a
    /// finished result now); one already delivered is ignored.
    /// </summary>
    public void AcceptPeerActivity(ActivityRequest request, PeerSource source)
    {
        var key = $"{source.AppId}|{request.WorkflowInstance?.InstanceId}|{source.Token}";
        if (_peerDelivered.ContainsKey(key))
        {
            return;
        }

        var fresh = new PeerActivity(key, $"x|{Guid.NewGuid():N}") { Source = source };
        var held = _peerActivities.GetOrAdd(key, fresh);
        if (!ReferenceEquals(held, fresh))
        {
            held.Source = source;
            if (held.Result is not null)
            {
                _ = DeliverPeerResultAsync(held, Interlocked.Increment(ref held.Attempts), PeerDeliveryFirstRetry);
            }

            return;
        }

        _peerTokens[fresh.LocalToken] = key;
        _dispatcher.Enqueue(new WorkItem { ActivityRequest = request, CompletionToken = fresh.LocalToken }, () => fresh.Result is null);
    }

    /// <summary>A worker here finished another app's activity: keep the result and deliver it (the worker is done now).</summary>
    private Task CompletePeerActivityAsync(ActivityResponse response)
    {
        _dispatcher.Complete(response.CompletionToken);
        if (!_peerTokens.TryRemove(response.CompletionToken, out var key) || !_peerActivities.TryGetValue(key, out var held))
        {
            LogStaleResult("activity", response.InstanceId);
            return Task.CompletedTask;
        }

        var result = response.Clone();
        result.CompletionToken = held.Source.Token;
        held.Result = result;
        return DeliverPeerResultAsync(held, Interlocked.Increment(ref held.Attempts), PeerDeliveryFirstRetry);
    }

    /// <summary>
    /// One delivery of a held result to the workflow's sidecar (the instance that sent the activity while it is
    /// registered, else any of its app); on failure the next after <paramref name="retryIn"/>, doubling. A newer chain
    /// (<paramref name="chain"/> behind <see cref="PeerActivity.Attempts"/>) replaces this one.
    /// </summary>
    private async Task DeliverPeerResultAsync(PeerActivity held, int chain, TimeSpan retryIn)
    {
        if (Volatile.Read(ref held.Attempts) != chain || !_peerActivities.ContainsKey(held.Key) || held.Result is not { } result)
        {
            return;
        }

        var source = held.Source;
        try
        {
            var peer = await _peers!.ResolveAsync(source.AppId, source.InstanceKey, CancellationToken.None);
            if (!await peer.RecordActivityResultAsync(result, CancellationToken.None))
            {
                LogStaleResult("activity", result.InstanceId);
            }

            _peerActivities.TryRemove(held.Key, out _);
            RememberDelivered(held.Key);
            return;
        }
        catch (Exception ex)
        {
            // Whatever failed (unreachable, gone, its save failed, timed out): the result stays here for the next try.
            LogPeerResultUndelivered(result.InstanceId, source.AppId, retryIn.TotalSeconds, ex.Message);
        }

        _timers.Schedule(Now + retryIn, () => DeliverPeerResultAsync(held, chain, Backoff(retryIn)));
    }

    private void RememberDelivered(string key)
    {
        var now = Now;
        _peerDelivered[key] = now;
        lock (_peerDeliveredOrder)
        {
            _peerDeliveredOrder.Enqueue((key, now));
            while (_peerDeliveredOrder.TryPeek(out var oldest) && now - oldest.At > DeliveredMemory)
            {
                _peerDeliveredOrder.Dequeue();
                _peerDelivered.TryRemove(KeyValuePair.Create(oldest.Key, oldest.At));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The result of an activity of workflow '{InstanceId}' could not be delivered to app '{AppId}' (kept, tried again in {Seconds} s): {Reason}")]
    private partial void LogPeerResultUndelivered(string instanceId, string appId, double seconds, string reason);
}

/// <summary>An activity another app's workflow sent here: where its result goes, and the result once a worker finished it.</summary>
internal sealed class PeerActivity(string key, string localToken)
{
    public string Key { get; } = key;

    public string LocalToken { get; } = localToken;

    /// <summary>The latest offer's source: a repeat from a restarted caller points the result at its new instance.</summary>
    public required PeerSource Source { get; set; }

    public ActivityResponse? Result { get; set; }

    /// <summary>Delivery chains started; only the newest keeps retrying.</summary>
    public int Attempts;
}

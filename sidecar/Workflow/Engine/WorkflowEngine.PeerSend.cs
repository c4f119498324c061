using Dapr.DurableTask.Protobuf;

namespace Sidecar.Workflow.Engine;

/// <summary>
/// The calling side of activities addressed to another app: hand the activity to that app's sidecar and, while the
/// workflow still waits for the result, offer it again every <see cref="PeerOfferInterval"/> to the instance that
/// accepted it. That instance ignores a repeat of work it holds; one that lost it (its sidecar restarted, its queue is
/// in memory) or is gone makes the offer go to whichever instance serves the app now, where it runs again. daprd gets
/// the same from the activity actor's one-shot, retry-forever reminder, which outlives a restart of the target
/// (dapr/dapr <c>pkg/actors/targets/workflow/activity/reminder.go</c> createActivityReminder).
/// </summary>
internal sealed partial class WorkflowEngine
{
    /// <summary>How often an outstanding peer activity is offered again to the sidecar that holds it.</summary>
    private static readonly TimeSpan PeerOfferInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Offers the activity to <see cref="PeerSend.TargetApp"/>'s sidecar (<paramref name="preferredKey"/>: the instance
    /// that took it before); its result comes back through <see cref="RecordPeerActivityResultAsync"/>. While the app
    /// cannot be reached, tries again after a pause.
    /// </summary>
    private async Task SendToPeerAsync(PeerSend send, string? preferredKey)
    {
        if (!await IsStillWantedAsync(send))
        {
            return;
        }

        var source = new PeerSource(_peers!.AppId, _peers.SelfKey, send.Token);
        try
        {
            var peer = await _peers.ResolveAsync(send.TargetApp, preferredKey, CancellationToken.None);
            await peer.RunActivityAsync(send.Request, source, CancellationToken.None);
            _timers.Schedule(Now + PeerOfferInterval, () => SendToPeerAsync(send, peer.Key));
        }
        catch (WorkflowPeerUnavailableException ex)
        {
            LogPeerUnavailable(send.Instance.InstanceId, ex.Message);
            _timers.Schedule(Now + RedeliveryDelay, () => SendToPeerAsync(send, preferredKey: null));
        }
    }

    /// <summary>True while the workflow runs the generation that scheduled the activity and has no result for it.</summary>
    private static async Task<bool> IsStillWantedAsync(PeerSend send)
    {
        var instance = send.Instance;
        await instance.Gate.WaitAsync();
        try
        {
            return !instance.IsTerminal && instance.ExecutionId == send.ExecutionId && HistoryEvents.IsTaskOutstanding(instance, send.TaskId);
        }
        finally
        {
            instance.Gate.Release();
        }
    }

    /// <summary>
    /// Another app's sidecar ran an activity of a workflow here: records its result (the token is the workflow's own).
    /// False when the workflow no longer wants it (finished, a new generation, or already recorded). Throws when the
    /// save fails: the peer keeps the result and delivers it again.
    /// </summary>
    public async Task<bool> RecordPeerActivityResultAsync(ActivityResponse response, CancellationToken cancellationToken)
    {
        if (response.CompletionToken.Split('|') is not ["a", var executionId, _])
        {
            return false;
        }

        var recorded = await AppendActivityResultAsync(response, executionId, cancellationToken);
        if (recorded)
        {
            _telemetry?.ActivityCompleted(response.CompletionToken, response.FailureDetails is not null);
        }

        return recorded;
    }
}

/// <summary>An activity a workflow here addressed to another app: what to send, and which task of which generation it is.</summary>
internal sealed record PeerSend(
    InstanceState Instance, string ExecutionId, int TaskId, string TargetApp, ActivityRequest Request, string Token);
